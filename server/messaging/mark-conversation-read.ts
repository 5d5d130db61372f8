import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { conversationModel, type ConversationRecord } from './conversation-model.js';
import { findVisibleConversation } from './find-visible-conversation.js';
import { toConversationView, type ConversationView } from './message-views.js';

/**
 * `unreadCount` is what the conversation's assignee has not read yet (while nobody is assigned:
 * what nobody has read). A manager looking over an operator's conversation leaves the operator's
 * count alone; the assignee (or, while unassigned, anyone who may answer it) reading resets it.
 */
export async function markConversationRead(
  services: Pick<ApiServices, 'db' | 'events'>,
  user: AuthUser,
  conversationId: string,
): Promise<ConversationView> {
  const conversation = await findVisibleConversation(services, user, conversationId);
  const assignee = conversation.assigneeId?.toHexString();
  const readsForCount = assignee === undefined || assignee === user.id;
  if (!readsForCount || conversation.unreadCount === 0) return toConversationView(conversation);
  const updated = await conversationModel(services.db)
    .findOneAndUpdate({ _id: conversation._id }, { $set: { unreadCount: 0 } }, { returnDocument: 'after' })
    .lean<ConversationRecord>();
  if (!updated) return toConversationView(conversation);
  const view = toConversationView(updated);
  services.events.emit({ type: 'conversation.updated', conversation: view });
  return view;
}
