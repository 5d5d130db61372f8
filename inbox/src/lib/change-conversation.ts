import type { ConversationView } from './inbox-views';

/**
 * Changes a conversation (`PATCH /api/v1/conversations/:id`): answers the stored view, or the
 * server's message when it refuses (a permission, a conversation that moved on).
 */
export async function changeConversation(
  conversationId: string,
  change: { status?: 'open' | 'pending' | 'resolved' },
  csrfToken?: string,
): Promise<{ ok: true; conversation: ConversationView } | { ok: false; message?: string }> {
  try {
    const response = await fetch(`/api/v1/conversations/${encodeURIComponent(conversationId)}`, {
      method: 'PATCH',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
      },
      body: JSON.stringify(change),
    });
    const body = (await response.json().catch(() => undefined)) as
      ConversationView | { error?: { message?: string } } | undefined;
    if (response.ok) return { ok: true, conversation: body as ConversationView };
    return { ok: false, message: (body as { error?: { message?: string } } | undefined)?.error?.message };
  } catch {
    return { ok: false };
  }
}
