import { isValidObjectId } from 'mongoose';
import { notFound } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { seesEverything } from '../auth/permissions.js';
import { contactModels } from '../contacts/contact-models.js';
import { contactIsVisible } from '../contacts/contact-scope.js';
import { conversationModel, type ConversationRecord } from './conversation-model.js';

/** Whether a user may see a conversation: its contact is in their scope, or it is theirs or their team's. */
export async function conversationIsVisible(
  services: Pick<ApiServices, 'db'>,
  user: AuthUser,
  conversation: ConversationRecord,
): Promise<boolean> {
  if (seesEverything(user.role)) return true;
  if (conversation.assigneeId?.toHexString() === user.id) return true;
  if (conversation.teamIds.some((id) => user.teamIds.includes(id.toHexString()))) return true;
  const contact = await contactModels(services.db)
    .Contact.findById(conversation.contactId, { ownerId: 1, teamIds: 1 })
    .lean();
  return Boolean(contact && contactIsVisible(user, contact));
}

/** The conversation, or 404 when it does not exist or is outside the user's scope (no existence leak). */
export async function findVisibleConversation(
  services: Pick<ApiServices, 'db'>,
  user: AuthUser,
  conversationId: string,
): Promise<ConversationRecord> {
  const conversation = isValidObjectId(conversationId)
    ? await conversationModel(services.db).findById(conversationId).lean<ConversationRecord>()
    : null;
  if (!conversation || !(await conversationIsVisible(services, user, conversation))) throw notFound('Conversation');
  return conversation;
}
