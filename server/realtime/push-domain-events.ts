import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { contactModels } from '../contacts/contact-models.js';
import { dealModel } from '../deals/deal-model.js';
import { stageTimelineItems, type StageDeal } from '../deals/stage-timeline-items.js';
import type { DomainEvents } from '../events/domain-events.js';
import { conversationModel, type ConversationRecord } from '../messaging/conversation-model.js';
import type { ConversationView } from '../messaging/message-views.js';
import {
  ALL_ROOM,
  CAMPAIGNS_ROOM,
  roomsOfContact,
  roomsOfConversation,
  roomsOfDeal,
  teamRoom,
  userRoom,
} from './inbox-rooms.js';
import type { RealtimePublisher } from './realtime-publisher.js';

/**
 * The realtime side effect of domain events: each change reaches the inbox rooms allowed to see
 * its conversation. Listens; never called by domain code.
 */
export function pushDomainEvents(
  events: DomainEvents,
  publisher: RealtimePublisher,
  services: Pick<ApiServices, 'db'>,
): void {
  const toConversation = (conversation: ConversationView, event: string, payload: unknown) =>
    publisher.emit('/inbox', roomsOfConversation(conversation), event, payload);

  events.on('message.received', ({ message, conversation }) =>
    toConversation(conversation, 'message.created', { message, conversation }),
  );
  events.on('message.created', ({ message, conversation }) =>
    toConversation(conversation, 'message.created', { message, conversation }),
  );
  // Those who just lost sight of it (the former assignee, a former team) hear it too, so their lists drop it.
  events.on('conversation.updated', ({ conversation, formerly }) => {
    const rooms = new Set([...roomsOfConversation(conversation), ...(formerly ? roomsOfConversation(formerly) : [])]);
    publisher.emit('/inbox', [...rooms], 'conversation.updated', { conversation });
  });
  events.on('conversation.note', ({ note, conversation }) =>
    toConversation(conversation, 'note.created', { note, conversationId: conversation.id }),
  );
  events.on('notification.created', ({ userId, notification }) =>
    publisher.emit('/inbox', [userRoom(userId)], 'notification.created', { notification }),
  );
  // Their sockets hold the rooms of their old access: closed, they sign in again (or are refused).
  events.on('user.accessChanged', ({ userId }) => publisher.disconnect('/inbox', [userRoom(userId)]));
  // Colleagues who may work beside them (their teams, those who see everything) and their own other tabs.
  events.on('presence.changed', ({ userId, teamIds, status }) =>
    publisher.emit('/inbox', [ALL_ROOM, userRoom(userId), ...teamIds.map(teamRoom)], 'presence.changed', {
      userId,
      status,
    }),
  );
  // The deal's owner and those who see every deal: an operator sees only their own deals.
  events.on('lead.received', ({ lead, contact, contactCreated, deal }) =>
    publisher.emit('/inbox', [ALL_ROOM, userRoom(deal.ownerId)], 'lead.received', {
      lead,
      contact,
      contactCreated,
      deal,
    }),
  );
  // Boards follow deals live; a former owner hears the change once, so their board drops the deal.
  events.on('deal.updated', ({ deal, formerOwnerId }) =>
    publisher.emit(
      '/inbox',
      [...roomsOfDeal(deal), ...(formerOwnerId ? [userRoom(formerOwnerId)] : [])],
      'deal.updated',
      { deal },
    ),
  );
  // A move shows on the boards and, as a stage entry, on the open timelines of the deal's contact.
  events.on('deal.stageChanged', async ({ deal }) => {
    publisher.emit('/inbox', roomsOfDeal(deal), 'deal.updated', { deal });
    if (!deal.contactId) return;
    const [stored, contact] = await Promise.all([
      (await dealModel(services.db))
        .findById(deal.id, { title: 1, stageId: 1, lostReason: 1, stageHistory: 1 })
        .lean<StageDeal>(),
      contactModels(services.db).Contact.findById(deal.contactId, { teamIds: 1, ownerId: 1 }).lean(),
    ]);
    if (!stored || !contact) return;
    const [item] = await stageTimelineItems(services.db, [stored], { take: 1 });
    if (item) publisher.emit('/inbox', roomsOfContact(contact), 'timeline.item', { contactId: deal.contactId, item });
  });
  events.on('broadcast.progress', ({ broadcast }) =>
    publisher.emit('/inbox', [CAMPAIGNS_ROOM], 'broadcast.progress', { broadcast }),
  );
  events.on('message.updated', async ({ message, conversation: known }) => {
    if (known) return toConversation(known, 'message.updated', { message });
    const conversation = await conversationModel(services.db)
      .findById(new Types.ObjectId(message.conversationId), { teamIds: 1, assigneeId: 1 })
      .lean<Pick<ConversationRecord, 'teamIds' | 'assigneeId'>>();
    if (!conversation) return;
    const rooms = roomsOfConversation(conversation);
    publisher.emit('/inbox', rooms, 'message.updated', { message });
  });
}
