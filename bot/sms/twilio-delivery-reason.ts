/**
 * Readable reasons for the ErrorCode of an `undelivered` / `failed` status callback
 * (https://www.twilio.com/docs/api/errors#3-anchor); the callback carries only the number.
 */
const REASONS: Record<string, string> = {
  '30001': 'Queue overflow: the number sent more than Twilio could queue',
  '30002': 'The Twilio account is suspended',
  '30003': 'Unreachable destination handset: the phone is off or out of coverage',
  '30004': 'Message blocked: the person blocked the sender or the carrier blocked the message',
  '30005': 'Unknown destination handset: the number does not exist',
  '30006': 'Landline or unreachable carrier: the number cannot receive SMS',
  '30007': 'Message filtered by the carrier as spam',
  '30008': 'Unknown error at the carrier',
  '30010': 'The message price exceeds the maximum price set',
  '21610': 'The person replied STOP to this number and is unsubscribed at Twilio',
};

export function twilioDeliveryReason(code: string): string {
  return REASONS[code] ?? `Twilio error ${code} (https://www.twilio.com/docs/api/errors/${code})`;
}
