import type { ConversationChange } from './conversation/conversation-change';
import type { ConversationView } from './inbox-views';
import { sendJson } from './send-json';

/**
 * Changes a conversation (`PATCH /api/v1/conversations/:id`): answers the stored view, or the
 * server's message when it refuses (a permission, a conversation that moved on).
 */
export async function changeConversation(
  conversationId: string,
  change: ConversationChange,
  csrfToken?: string,
): Promise<{ ok: true; conversation: ConversationView } | { ok: false; message?: string }> {
  const result = await sendJson<ConversationView>(
    'PATCH',
    `/api/v1/conversations/${encodeURIComponent(conversationId)}`,
    change,
    csrfToken,
  );
  if (result.ok) return { ok: true, conversation: result.data };
  return { ok: false, ...(result.message ? { message: result.message } : {}) };
}
