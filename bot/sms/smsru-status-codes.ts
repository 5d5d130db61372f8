import type { SendFailureKind } from '../channels/channel-errors.js';
import type { InboundStatusEvent } from '../channels/channel-events.js';

/**
 * SMS.ru's status codes (https://sms.ru/api/status): the delivery states a message passes through
 * and the reasons a send is refused. 100 and 101 (in SMS.ru's queue, handed to the operator) say
 * nothing the inbox does not know.
 */
export const SMSRU_DELIVERY: Readonly<Record<number, { status: InboundStatusEvent['status']; reason?: string }>> = {
  102: { status: 'sent' },
  103: { status: 'delivered' },
  110: { status: 'read' },
  104: { status: 'failed', reason: 'Cannot be delivered: its time to live ran out' },
  105: { status: 'failed', reason: 'Cannot be delivered: deleted by the operator' },
  106: { status: 'failed', reason: 'Cannot be delivered: the phone failed' },
  107: { status: 'failed', reason: 'Cannot be delivered: unknown reason' },
  108: { status: 'failed', reason: 'Cannot be delivered: rejected' },
  150: { status: 'failed', reason: 'Cannot be delivered: no route to this number' },
};

/** How a refused send is treated; codes not listed are permanent (the request itself is wrong). */
export const SMSRU_SEND_FAILURES: Readonly<Record<number, { kind: SendFailureKind; reason: string }>> = {
  200: { kind: 'permanent', reason: 'Wrong api_id: enter the one from the SMS.ru account again' },
  201: { kind: 'permanent', reason: 'Not enough money on the SMS.ru account' },
  202: { kind: 'unreachable', reason: 'The number is wrong or has no route' },
  203: { kind: 'permanent', reason: 'The message has no text' },
  204: { kind: 'permanent', reason: 'This operator is not enabled on the SMS.ru account' },
  205: { kind: 'permanent', reason: 'The message is too long (over 8 SMS)' },
  206: { kind: 'permanent', reason: 'The daily sending limit of the SMS.ru account is reached' },
  207: { kind: 'unreachable', reason: 'There is no route to deliver messages to this number' },
  209: { kind: 'unreachable', reason: 'The number is on the stop list of the SMS.ru account' },
  214: { kind: 'permanent', reason: 'The number is abroad and the account sends only to Russian numbers' },
  215: { kind: 'unreachable', reason: "The number is on SMS.ru's stop list: the person complained about spam" },
  216: { kind: 'permanent', reason: 'The text contains a forbidden word' },
  220: { kind: 'transient', reason: 'SMS.ru is temporarily unavailable' },
  230: { kind: 'permanent', reason: 'The daily limit of messages to this number is reached' },
  231: { kind: 'permanent', reason: 'The same message already went to this number this minute' },
  232: { kind: 'permanent', reason: 'The same message already went to this number today' },
  300: { kind: 'permanent', reason: 'Wrong token: enter the api_id again' },
  301: { kind: 'permanent', reason: 'Wrong api_id: enter the one from the SMS.ru account again' },
  500: { kind: 'transient', reason: 'SMS.ru server error' },
};
