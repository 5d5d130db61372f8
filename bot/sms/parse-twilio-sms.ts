import { checkInboundEvents } from '../channels/check-inbound-events.js';
import type { InboundRequest } from '../channels/channel-adapter.js';
import { MalformedPayloadError } from '../channels/channel-errors.js';
import { type InboundEvent, type InboundStatusEvent, type MessageContent } from '../channels/channel-events.js';
import { formField, readFormBody, type FormFields } from '../channels/read-form-body.js';
import { mediaKindOfType } from './media-kind-of-type.js';
import { twilioDeliveryReason } from './twilio-delivery-reason.js';

/**
 * Twilio's MessageStatus values (https://www.twilio.com/docs/messaging/api/message-resource#message-status-values)
 * on the inbox's delivery ladder. queued, accepted, scheduled and sending say nothing the inbox
 * does not know; `canceled` is a scheduled message that never left.
 */
const STATUSES: Partial<Record<string, InboundStatusEvent['status']>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

/** Where Twilio keeps a received MMS file, below the account: what downloadMedia fetches. */
export const TWILIO_MEDIA_PATH = /^\/Messages\/MM[0-9a-fA-F]{32}\/Media\/ME[0-9a-fA-F]{32}$/;

/**
 * The events in one Twilio messaging webhook: an incoming message
 * (https://www.twilio.com/docs/messaging/guides/webhook-request) or a status callback for one we
 * sent (the same request with MessageStatus and, on failure, ErrorCode). Neither carries a time,
 * so the time of reading stands in.
 */
export function parseTwilioSms(request: InboundRequest): InboundEvent[] {
  const fields = readFormBody(request);
  const sid = formField(fields, 'MessageSid') ?? formField(fields, 'SmsSid');
  if (!sid) throw new MalformedPayloadError('Not a Twilio messaging webhook: MessageSid is missing');
  const status = formField(fields, 'MessageStatus');
  const events = status ? statusEvents(sid, status, fields) : [messageEvent(sid, fields)];
  return checkInboundEvents(events, 'The Twilio webhook');
}

function statusEvents(sid: string, status: string, fields: FormFields): InboundEvent[] {
  const mapped = STATUSES[status];
  if (!mapped) return [];
  const code = formField(fields, 'ErrorCode');
  const failure =
    mapped === 'failed'
      ? { code: code ?? status, reason: code ? twilioDeliveryReason(code) : `Twilio reported the message ${status}` }
      : undefined;
  return [
    { type: 'status', externalMessageId: sid, status: mapped, at: new Date(), ...(failure ? { error: failure } : {}) },
  ];
}

function messageEvent(sid: string, fields: FormFields): InboundEvent {
  const from = formField(fields, 'From');
  if (!from) throw new MalformedPayloadError('A Twilio incoming message carries From');
  if (!fields.has('Body')) throw new MalformedPayloadError('A Twilio incoming message carries Body');
  return {
    type: 'message',
    externalMessageId: sid,
    from: { externalId: from, ...(/^\+\d+$/.test(from) ? { phone: from } : {}) },
    chatId: from,
    sentAt: new Date(),
    content: content(fields),
  };
}

/** The text, or the first MMS file with the text as its caption. */
function content(fields: FormFields): MessageContent {
  const text = fields.get('Body')?.[0] ?? '';
  const mediaUrl = formField(fields, 'MediaUrl0');
  if (Number(formField(fields, 'NumMedia') ?? '0') === 0 || !mediaUrl) return { kind: 'text', text };
  const path = mediaPath(mediaUrl);
  const mimeType = formField(fields, 'MediaContentType0');
  return {
    kind: 'media',
    media: { kind: mediaKindOfType(mimeType), fileRef: path, ...(mimeType ? { mimeType } : {}) },
    ...(text ? { caption: text } : {}),
  };
}

/**
 * The file's place below the account. Only that is kept, never the URL: downloads go to the
 * configured API root with the account's credentials, not wherever a payload points.
 */
function mediaPath(mediaUrl: string): string {
  let pathname: string;
  try {
    pathname = new URL(mediaUrl).pathname;
  } catch {
    throw new MalformedPayloadError(`MediaUrl0 is not a URL: ${mediaUrl.slice(0, 200)}`);
  }
  const below = /^\/2010-04-01\/Accounts\/AC[0-9a-fA-F]{32}(\/.*)$/.exec(pathname)?.[1];
  if (!below || !TWILIO_MEDIA_PATH.test(below)) {
    throw new MalformedPayloadError(`MediaUrl0 is not a Twilio message media URL: ${mediaUrl.slice(0, 200)}`);
  }
  return below;
}
