import { z } from 'zod';
import type { SendResult } from '../channels/channel-adapter.js';
import { SendError } from '../channels/channel-errors.js';
import { callTwilioApi, type TwilioTarget } from '../twilio/call-twilio-api.js';
import { toTwilioSendError } from './to-twilio-send-error.js';

const messageResourceSchema = z.object({ sid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/) });

/**
 * Creates one Message resource (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource):
 * from a number or a Messaging Service, with the account's webhook as StatusCallback so delivery
 * statuses come back to the same place inbound texts do.
 */
export async function sendTwilioSms(
  target: TwilioTarget,
  message: { from: string; to: string; text: string; statusCallback: string },
): Promise<SendResult> {
  const form = new URLSearchParams({ To: message.to, Body: message.text, StatusCallback: message.statusCallback });
  form.set(message.from.startsWith('MG') ? 'MessagingServiceSid' : 'From', message.from);
  try {
    const response = await callTwilioApi(target, '/Messages.json', { method: 'POST', form });
    const created = messageResourceSchema.safeParse(await response.json().catch(() => undefined));
    // Twilio took the request, so the text may well be on its way: a retry could send it twice.
    if (!created.success) throw new SendError('permanent', 'Twilio accepted the SMS but returned no message SID');
    return { externalMessageId: created.data.sid };
  } catch (error) {
    throw toTwilioSendError(error);
  }
}
