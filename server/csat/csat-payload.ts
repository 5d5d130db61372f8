import { z } from 'zod';

export const CSAT_SCORES = [1, 2, 3, 4, 5] as const;

// `csat:<conversation id>:<score>`: 31 bytes, inside Telegram's 64-byte callback_data.
const PAYLOAD = /^csat:([0-9a-f]{24}):([1-5])$/;

const payloadSchema = z
  .string()
  .regex(PAYLOAD)
  .transform((payload) => {
    const [, conversationId = '', score = '0'] = PAYLOAD.exec(payload) ?? [];
    return { conversationId, score: Number(score) };
  });

/** The id of the rating button for a score: what the channel sends back when the client taps it. */
export function csatButtonId(conversationId: string, score: number): string {
  return `csat:${conversationId}:${score}`;
}

/** The rating a button tap carries, or undefined for any other button. */
export function parseCsatPayload(payload: string): { conversationId: string; score: number } | undefined {
  const parsed = payloadSchema.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}
