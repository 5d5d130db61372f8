import * as z from 'zod/mini';

const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.optional(z.object({ reason: z.optional(z.string()) })),
  }),
});

export type ReplyResult =
  | { type: 'queued' }
  | { type: 'opted-out' }
  | { type: 'read-only' }
  | { type: 'refused'; message: string }
  | { type: 'failed' };

/**
 * Posts a text reply to a conversation and tells, in the UI's terms, how it went: the channel's
 * refusals (an SMS STOP, a call conversation) get their own answers. It never throws.
 */
export async function sendReply(conversationId: string, text: string, csrfToken?: string): Promise<ReplyResult> {
  let response: Response;
  try {
    response = await fetch(`/api/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
      },
      body: JSON.stringify({ text }),
    });
  } catch {
    return { type: 'failed' };
  }
  if (response.ok) return { type: 'queued' };
  const body = errorSchema.safeParse(await response.json().catch(() => undefined));
  if (!body.success) return { type: 'failed' };
  const { code, message, details } = body.data.error;
  if (details?.reason === 'opted_out') return { type: 'opted-out' };
  if (code === 'channel_read_only') return { type: 'read-only' };
  return { type: 'refused', message };
}
