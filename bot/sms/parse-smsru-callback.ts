import { checkInboundEvents } from '../channels/check-inbound-events.js';
import type { InboundRequest } from '../channels/channel-adapter.js';
import { MalformedPayloadError } from '../channels/channel-errors.js';
import type { InboundEvent } from '../channels/channel-events.js';
import { readFormBody } from '../channels/read-form-body.js';
import { SMSRU_DELIVERY } from './smsru-status-codes.js';
import { smsruEntries } from './verify-smsru-hash.js';

const UNIX_TIME = /^\d{1,12}$/;

/**
 * The events of one SMS.ru callback: each `data[…]` entry is lines joined by "\n", the first
 * naming what it is (https://sms.ru/api/callback):
 * - `sms_status`, sms id, status code, unix time: a status of a message we sent;
 * - `sms_received`, sms id, sender's number (digits, no "+"), unix time, then the text, whose own
 *   line breaks are kept: a text sent to the account's number.
 * Other kinds (call-check statuses) are not the inbox's and are skipped.
 */
export function parseSmsruCallback(request: InboundRequest): InboundEvent[] {
  const events = smsruEntries(readFormBody(request)).flatMap((entry) => entryEvents(entry.replace(/\r\n/g, '\n')));
  return checkInboundEvents(events, 'The SMS.ru callback');
}

function entryEvents(entry: string): InboundEvent[] {
  const [kind, id, ...rest] = entry.split('\n');
  switch (kind) {
    case 'sms_status': {
      const [code, time] = rest;
      if (!id || !code || !/^-?\d+$/.test(code) || !time || !UNIX_TIME.test(time)) {
        throw new MalformedPayloadError(`An sms_status entry is id, status code, unix time: ${entry.slice(0, 200)}`);
      }
      const delivery = SMSRU_DELIVERY[Number(code)];
      if (!delivery) return [];
      return [
        {
          type: 'status',
          externalMessageId: id,
          status: delivery.status,
          at: new Date(Number(time) * 1000),
          ...(delivery.reason ? { error: { code, reason: delivery.reason } } : {}),
        },
      ];
    }
    case 'sms_received': {
      const [from, time, ...text] = rest;
      if (!id || !from || !/^\+?\d{5,15}$/.test(from) || !time || !UNIX_TIME.test(time)) {
        throw new MalformedPayloadError(
          `An sms_received entry is id, sender's number, unix time, text: ${entry.slice(0, 200)}`,
        );
      }
      const phone = from.startsWith('+') ? from : `+${from}`;
      return [
        {
          type: 'message',
          externalMessageId: id,
          from: { externalId: phone, phone },
          chatId: phone,
          sentAt: new Date(Number(time) * 1000),
          content: { kind: 'text', text: text.join('\n') },
        },
      ];
    }
    default:
      return [];
  }
}
