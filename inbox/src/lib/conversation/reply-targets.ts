import type { ConversationView } from '../inbox-views.js';

/**
 * Where a reply to the contact can go: each of their conversations on a channel that takes
 * replies (calls are records) and can still reach them. The one on screen first, then the
 * channel they last wrote on.
 */
export function replyTargets(conversations: readonly ConversationView[], currentId: string): ConversationView[] {
  const lastHeard = (conversation: ConversationView) => conversation.lastInboundAt ?? conversation.lastMessageAt;
  return conversations
    .filter(
      (conversation) =>
        conversation.id === currentId || (conversation.channel !== 'voice' && !conversation.unreachable),
    )
    .sort(
      (a, b) => Number(b.id === currentId) - Number(a.id === currentId) || lastHeard(b).localeCompare(lastHeard(a)),
    );
}
