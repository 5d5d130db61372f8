import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { contactModels } from '../contacts/contact-models.js';
import type { DomainEvents } from '../events/domain-events.js';
import { queueMessage } from '../messaging/queue-message.js';
import { csatModel } from './csat-model.js';
import { parseCsatPayload } from './csat-payload.js';
import { csatThanks } from './csat-prompt.js';

/**
 * A tap on a rating button comes in like any message (the channel's ingest, stored once per
 * delivery) and is then kept as the conversation's rating: the latest tap wins, and only a tap in
 * the conversation the buttons were sent to counts. Announced as `conversation.rated`. The client is
 * thanked and invited to comment (once per tap, however often it is delivered).
 */
export function recordRatingsOnArrival(events: DomainEvents, services: ApiServices): void {
  // Ingest announces a rating tap as `message.created`, not `message.received`: it is not the client
  // writing again, so neither the bot nor a flow answers it and the conversation stays resolved.
  events.on('message.created', async ({ message, conversation }) => {
    if (message.direction !== 'in' || message.content.kind !== 'button') return;
    const rating = parseCsatPayload(message.content.payload);
    if (!rating || rating.conversationId !== conversation.id) return;
    const ratedAt = new Date(message.createdAt);
    await csatModel(services.db).updateOne(
      { conversationId: new Types.ObjectId(conversation.id) },
      {
        $set: {
          contactId: new Types.ObjectId(conversation.contactId),
          channel: conversation.channel,
          channelAccountId: new Types.ObjectId(conversation.channelAccountId),
          teamIds: conversation.teamIds.map((id) => new Types.ObjectId(id)),
          score: rating.score,
          messageId: new Types.ObjectId(message.id),
          ratedAt,
          ...(conversation.assigneeId ? { assigneeId: new Types.ObjectId(conversation.assigneeId) } : {}),
        },
      },
      { upsert: true },
    );
    services.events.emit({
      type: 'conversation.rated',
      conversation,
      rating: { score: rating.score, messageId: message.id, ratedAt: ratedAt.toISOString() },
    });
    if (conversation.unreachable) return;
    const contact = await contactModels(services.db)
      .Contact.findById(conversation.contactId, { language: 1 })
      .lean<{ language?: 'ru' | 'en' }>();
    await queueMessage(services, {
      conversationId: conversation.id,
      message: csatThanks(contact?.language),
      author: { kind: 'bot' },
      dedupeKey: `csat-thanks|${message.id}`,
    });
  });
}
