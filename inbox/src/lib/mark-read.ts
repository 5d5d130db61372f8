/**
 * Tells the server the operator has read a conversation, so its unread count stays cleared after
 * a reload. Best effort: the server only counts it from the assignee (or anyone while nobody is),
 * and a refusal changes nothing the operator sees.
 */
export function markConversationRead(conversationId: string, csrfToken?: string): void {
  void fetch(`/api/v1/conversations/${encodeURIComponent(conversationId)}/read`, {
    method: 'POST',
    headers: { accept: 'application/json', ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
  }).catch(() => undefined);
}
