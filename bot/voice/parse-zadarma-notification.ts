import { checkInboundEvents } from '../channels/check-inbound-events.js';
import type { InboundRequest } from '../channels/channel-adapter.js';
import { MalformedPayloadError } from '../channels/channel-errors.js';
import { type CallOutcome, type InboundEvent } from '../channels/channel-events.js';
import { formField, readFormBody, type FormFields } from '../channels/read-form-body.js';
import { clientPhone } from './client-phone.js';
import { operatorOf, type VoiceSettings } from './voice-schemas.js';
import { zonedTime } from './zoned-time.js';

/**
 * NOTIFY_END's `disposition` (https://zadarma.com/en/support/api/#api_webhooks): 'answered',
 * 'busy', 'cancel', 'no answer' or a failure ('failed', 'no money', 'unallocated number',
 * 'no limit', 'no day limit', 'line limit', 'no money, no limit').
 */
function outcomeOf(disposition: string): CallOutcome {
  switch (disposition) {
    case 'answered':
      return 'answered';
    case 'busy':
      return 'busy';
    case 'cancel':
    case 'no answer':
      return 'missed';
    default:
      return 'failed';
  }
}

/** Zadarma recommends fetching a recording only once NOTIFY_RECORD says it is saved. */
export const ZADARMA_RECORDING_REF = /^[\w.:-]{1,200}$/;

/**
 * The events in one Zadarma notification: NOTIFY_END (an incoming call ended) and NOTIFY_OUT_END
 * (an outgoing one) become the call's record, NOTIFY_RECORD adds its recording. The start and
 * progress notifications (NOTIFY_START, NOTIFY_ANSWER…) carry nothing to keep, and calls from a
 * hidden number nobody can call back are skipped.
 */
export function parseZadarmaNotification(request: InboundRequest, settings: VoiceSettings): InboundEvent[] {
  const fields = readFormBody(request);
  const event = formField(fields, 'event');
  if (!event) throw new MalformedPayloadError('Not a Zadarma notification: event is missing');
  const events = eventsOf(event, fields, settings);
  return checkInboundEvents(events, `The Zadarma ${event}`);
}

function eventsOf(event: string, fields: FormFields, settings: VoiceSettings): InboundEvent[] {
  switch (event) {
    case 'NOTIFY_END':
      return callEvents(fields, settings, 'in');
    case 'NOTIFY_OUT_END':
      return callEvents(fields, settings, 'out');
    case 'NOTIFY_RECORD': {
      const pbxCallId = formField(fields, 'pbx_call_id');
      const recording = formField(fields, 'call_id_with_rec');
      if (!pbxCallId || !recording || !ZADARMA_RECORDING_REF.test(recording)) {
        throw new MalformedPayloadError('A NOTIFY_RECORD carries pbx_call_id and call_id_with_rec');
      }
      return [
        {
          type: 'recording',
          externalMessageId: pbxCallId,
          recording: { kind: 'audio', fileRef: recording, mimeType: 'audio/mpeg', fileName: `${recording}.mp3` },
          at: new Date(),
        },
      ];
    }
    default:
      return [];
  }
}

function callEvents(fields: FormFields, settings: VoiceSettings, direction: 'in' | 'out'): InboundEvent[] {
  const pbxCallId = formField(fields, 'pbx_call_id');
  const callStart = formField(fields, 'call_start');
  const ours = direction === 'in' ? formField(fields, 'called_did') : formField(fields, 'caller_id');
  const theirs = direction === 'in' ? formField(fields, 'caller_id') : formField(fields, 'destination');
  if (!pbxCallId || !callStart || !theirs) {
    throw new MalformedPayloadError('A Zadarma call notification carries pbx_call_id, call_start and the numbers');
  }
  const startedAt = zonedTime(callStart, settings.timeZone);
  if (!startedAt) throw new MalformedPayloadError(`call_start is not "YYYY-MM-DD hh:mm:ss": ${callStart.slice(0, 40)}`);
  const phone = clientPhone(theirs);
  if (!phone) return [];
  const duration = Number(formField(fields, 'duration') ?? 0);
  const disposition = formField(fields, 'disposition') ?? 'failed';
  const operator = operatorOf(settings, formField(fields, 'internal'));
  return [
    {
      type: 'message',
      externalMessageId: pbxCallId,
      from: { externalId: phone, phone },
      chatId: phone,
      sentAt: startedAt,
      content: {
        kind: 'call',
        direction,
        from: direction === 'in' ? theirs : (ours ?? operator?.extension ?? 'unknown'),
        to: direction === 'in' ? (ours ?? 'unknown') : theirs,
        ...(operator ? { operator } : {}),
        startedAt: startedAt.toISOString(),
        durationSec: Number.isFinite(duration) && duration > 0 ? Math.round(duration) : 0,
        outcome: outcomeOf(disposition),
        providerStatus: disposition,
      },
    },
  ];
}
