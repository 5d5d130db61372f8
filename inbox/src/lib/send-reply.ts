import * as z from 'zod/mini';
import type { ApiFailure } from './api-error-wording';
import { answerLanguage, languageHeader } from './language-header';
import type { MessageView } from './inbox-views';

const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.optional(z.object({ reason: z.optional(z.string()), via: z.optional(z.string()) })),
  }),
});

export type ReplyResult =
  /** The reply as stored, `queued`: the timeline shows it at once, then its status updates. */
  | { type: 'queued'; message: MessageView }
  /** How the person withdrew consent (server/consent/refuse-opted-out.ts); absent: marked on their card. */
  | { type: 'opted-out'; via?: 'keyword' | 'link' | 'block' }
  | { type: 'read-only' }
  | { type: 'refused'; failure: ApiFailure }
  | { type: 'failed' };

/**
 * Posts a reply (text, a file uploaded with `POST /files`, or both) to a conversation and tells,
 * in the UI's terms, how it went: the channel's refusals (an SMS STOP, a call conversation) get
 * their own answers. It never throws.
 */
export async function sendReply(
  conversationId: string,
  reply: { text?: string; fileId?: string },
  csrfToken?: string,
): Promise<ReplyResult> {
  let response: Response;
  try {
    response = await fetch(`/api/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...languageHeader(),
        ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
      },
      body: JSON.stringify(reply),
    });
  } catch {
    return { type: 'failed' };
  }
  // The answer is the server's message view (server/messaging/message-views.ts).
  if (response.ok) return { type: 'queued', message: (await response.json()) as MessageView };
  const body = errorSchema.safeParse(await response.json().catch(() => undefined));
  if (!body.success) return { type: 'failed' };
  const { code, message, details } = body.data.error;
  if (details?.reason === 'opted_out') {
    const via =
      details.via === 'keyword' || details.via === 'link' || details.via === 'block' ? details.via : undefined;
    return { type: 'opted-out', ...(via ? { via } : {}) };
  }
  if (code === 'channel_read_only') return { type: 'read-only' };
  const language = answerLanguage(response.headers);
  return {
    type: 'refused',
    failure: { status: response.status, code, message, ...(language ? { language } : {}), details },
  };
}
