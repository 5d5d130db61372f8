import type { ConversationChange } from './conversation/conversation-change';
import type { ConversationView } from './inbox-views';
import { sendJson, type SendResult } from './send-json';

/**
 * Changes a conversation (`PATCH /api/v1/conversations/:id`): answers the stored view, or the
 * server's refusal (a permission, a conversation that moved on) for errorText to word.
 */
export async function changeConversation(
  conversationId: string,
  change: ConversationChange,
  csrfToken?: string,
): Promise<{ ok: true; conversation: ConversationView } | Extract<SendResult<never>, { ok: false }>> {
  const result = await sendJson<ConversationView>(
    'PATCH',
    `/api/v1/conversations/${encodeURIComponent(conversationId)}`,
    change,
    csrfToken,
  );
  if (result.ok) return { ok: true, conversation: result.data };
  return result;
}
