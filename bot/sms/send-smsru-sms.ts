import { z } from 'zod';
import type { SendResult } from '../channels/channel-adapter.js';
import { SendError } from '../channels/channel-errors.js';
import { retryAfterMs } from '../twilio/call-twilio-api.js';
import { SMSRU_SEND_FAILURES } from './smsru-status-codes.js';

const TIMEOUT_MS = 30_000;

/** `json=1` answers (https://sms.ru/api/send): a status for the request and one per number. */
const answerSchema = z.object({
  status: z.string(),
  status_code: z.number().int(),
  status_text: z.string().optional(),
  sms: z
    .record(
      z.string(),
      z.object({
        status: z.string(),
        status_code: z.number().int(),
        sms_id: z.string().optional(),
        status_text: z.string().optional(),
      }),
    )
    .optional(),
});

function refusal(code: number, text: string | undefined): SendError {
  const known = SMSRU_SEND_FAILURES[code];
  const reason = [known?.reason, text].filter(Boolean).join(': ') || `SMS.ru refused the message (${code})`;
  return new SendError(known?.kind ?? 'permanent', reason, String(code));
}

/**
 * Sends one text with `sms/send` (https://sms.ru/api/send): a POST of api_id, to (digits only),
 * msg and json=1, plus the sender name when the account has one. The request's and the number's
 * own status codes are both checked; anything that fails comes out as a classified SendError.
 */
export async function sendSmsruSms(
  target: { apiRoot: string; apiId: string },
  message: { to: string; text: string; from?: string },
): Promise<SendResult> {
  const to = message.to.replace(/\D/g, '');
  const form = new URLSearchParams({ api_id: target.apiId, to, msg: message.text, json: '1' });
  if (message.from) form.set('from', message.from);
  let response: Response;
  try {
    response = await fetch(`${target.apiRoot}/sms/send`, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new SendError(
      'transient',
      `SMS.ru did not answer: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (response.status === 429) {
    throw new SendError(
      'rate-limited',
      'SMS.ru asked to slow down',
      '429',
      retryAfterMs(response.headers.get('retry-after')) ?? 1_000,
    );
  }
  if (response.status >= 500)
    throw new SendError('transient', `SMS.ru answered HTTP ${response.status}`, String(response.status));
  const answer = answerSchema.safeParse(await response.json().catch(() => undefined));
  if (!answer.success) {
    throw new SendError(
      'transient',
      `SMS.ru answered HTTP ${response.status} without its JSON status`,
      String(response.status),
    );
  }
  if (answer.data.status !== 'OK') throw refusal(answer.data.status_code, answer.data.status_text);
  const sms = answer.data.sms?.[to];
  // SMS.ru took the request, so the text may be on its way: retrying could send it twice.
  if (!sms) throw new SendError('permanent', `SMS.ru accepted the request but said nothing about ${to}`);
  if (sms.status !== 'OK' || !sms.sms_id) throw refusal(sms.status_code, sms.status_text);
  return { externalMessageId: sms.sms_id };
}
