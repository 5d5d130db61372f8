import { checkInboundEvents } from '../channels/check-inbound-events.js';
import type { InboundRequest } from '../channels/channel-adapter.js';
import { MalformedPayloadError } from '../channels/channel-errors.js';
import { type CallOutcome, type InboundEvent } from '../channels/channel-events.js';
import { formField, readFormBody, type FormFields } from '../channels/read-form-body.js';
import { clientPhone } from './client-phone.js';
import { operatorOf, type VoiceSettings } from './voice-schemas.js';

/**
 * How a call ended, by its final CallStatus, or by DialCallStatus when the webhook is also a
 * <Dial> action (https://www.twilio.com/docs/voice/twiml/dial#dialcallstatus): there the call
 * itself completes whether or not anyone picked up, and only the dial says so.
 */
const OUTCOMES: Partial<Record<string, CallOutcome>> = {
  completed: 'answered',
  answered: 'answered',
  busy: 'busy',
  'no-answer': 'missed',
  canceled: 'missed',
  failed: 'failed',
};

/** Where Twilio keeps a recording, below the account: what downloadRecording fetches. */
export const TWILIO_RECORDING_REF = /^\/Recordings\/RE[0-9a-fA-F]{32}$/;

/**
 * The events in one Twilio Voice webhook: a call's final status callback
 * (https://www.twilio.com/docs/voice/api/call-resource#statuscallback) becomes its record, a
 * recording status callback (https://www.twilio.com/docs/voice/api/recording#recordingstatuscallback)
 * adds the recording to it. Progress callbacks (initiated, ringing, in-progress), a child leg of a
 * call already recorded by its parent (ParentCallSid) and calls with no number to call back are
 * skipped.
 */
export function parseTwilioCall(request: InboundRequest, settings: VoiceSettings): InboundEvent[] {
  const fields = readFormBody(request);
  const callSid = formField(fields, 'CallSid');
  if (!callSid) throw new MalformedPayloadError('Not a Twilio Voice webhook: CallSid is missing');
  const events = formField(fields, 'RecordingSid')
    ? recordingEvents(callSid, fields)
    : callEvents(callSid, fields, settings);
  return checkInboundEvents(events, 'The Twilio call webhook');
}

function recordingEvents(callSid: string, fields: FormFields): InboundEvent[] {
  if (formField(fields, 'RecordingStatus') !== 'completed') return [];
  const recordingSid = formField(fields, 'RecordingSid') ?? '';
  return [
    {
      type: 'recording',
      externalMessageId: callSid,
      recording: {
        kind: 'audio',
        fileRef: `/Recordings/${recordingSid}`,
        mimeType: 'audio/mpeg',
        fileName: `${recordingSid}.mp3`,
      },
      at: new Date(),
    },
  ];
}

function callEvents(callSid: string, fields: FormFields, settings: VoiceSettings): InboundEvent[] {
  if (formField(fields, 'ParentCallSid')) return [];
  const status = formField(fields, 'DialCallStatus') ?? formField(fields, 'CallStatus');
  const outcome = status === undefined ? undefined : OUTCOMES[status];
  if (!outcome) return [];
  const from = formField(fields, 'From');
  const to = formField(fields, 'To');
  if (!from || !to) throw new MalformedPayloadError('A Twilio call status callback carries From and To');
  const direction = formField(fields, 'Direction') === 'inbound' ? 'in' : 'out';
  const [client, ours] = direction === 'in' ? [from, to] : [to, from];
  const phone = clientPhone(client);
  if (!phone) return [];
  const durationSec = wholeSeconds(formField(fields, 'DialCallDuration') ?? formField(fields, 'CallDuration'));
  const endedAt = eventTime(formField(fields, 'Timestamp'));
  const startedAt = new Date(endedAt.getTime() - durationSec * 1000);
  const operator = operatorOf(
    settings,
    /^(client|sip):/.test(ours) ? ours.replace(/^(client|sip):/, '').replace(/@.*$/, '') : undefined,
  );
  return [
    {
      type: 'message',
      externalMessageId: callSid,
      from: { externalId: phone, phone },
      chatId: phone,
      sentAt: startedAt,
      content: {
        kind: 'call',
        direction,
        from,
        to,
        ...(operator ? { operator } : {}),
        startedAt: startedAt.toISOString(),
        durationSec,
        outcome,
        providerStatus: status,
      },
    },
  ];
}

function wholeSeconds(value: string | undefined): number {
  const seconds = Number(value ?? 0);
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds) : 0;
}

/** Timestamp is RFC 2822 ("Mon, 16 Aug 2010 03:45:01 +0000"): when the status happened. */
function eventTime(value: string | undefined): Date {
  const at = value ? new Date(value) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : new Date();
}
