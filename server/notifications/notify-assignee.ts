import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { contactModels } from '../contacts/contact-models.js';
import type { DomainEvents } from '../events/domain-events.js';
import { notifyUsers } from './notify-users.js';

/**
 * "Assigned to you": whoever is given a conversation (by a colleague or by auto-assignment) gets a
 * notification in their bell, pushed to their own room. Taking a conversation yourself tells you
 * nothing new, so it notifies nobody.
 */
export function notifyAssigneeOnAssign(events: DomainEvents, services: Pick<ApiServices, 'db' | 'events'>): void {
  events.on('conversation.assigned', async ({ conversation, previous, by }) => {
    const assigneeId = conversation.assigneeId;
    if (!assigneeId || assigneeId === previous.assigneeId || assigneeId === by?.id) return;
    const contact = await contactModels(services.db)
      .Contact.findById(conversation.contactId, { name: 1 })
      .lean<{ name?: string }>();
    const about = [contact?.name, conversation.lastMessage?.preview].filter(Boolean).join(': ');
    await notifyUsers(services, [assigneeId], {
      kind: 'assignment',
      ...(by ? { actorId: new Types.ObjectId(by.id) } : {}),
      actorName: by?.name ?? '',
      conversationId: new Types.ObjectId(conversation.id),
      contactId: new Types.ObjectId(conversation.contactId),
      preview: about.slice(0, 200),
    });
  });
}
