import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import type { DomainEvents } from '../events/domain-events.js';
import { csatModel } from './csat-model.js';

/** How long after the rating the client's next text counts as its comment. */
export const CSAT_COMMENT_WINDOW_MS = 10 * 60_000;

/**
 * The rating's comment: the client's first text message in the conversation within a few minutes
 * of the rating (the widget and Telegram have no comment box; the thanks after the rating invites
 * one). Later messages, or a second one, are ordinary messages. The message itself stays on the
 * timeline like any other.
 */
export function takeRatingComments(events: DomainEvents, services: Pick<ApiServices, 'db'>): void {
  events.on('message.received', async ({ message, conversation }) => {
    if (message.direction !== 'in' || message.content.kind !== 'text') return;
    const sentAt = new Date(message.createdAt);
    await csatModel(services.db).updateOne(
      {
        conversationId: new Types.ObjectId(conversation.id),
        comment: { $exists: false },
        ratedAt: { $gte: new Date(sentAt.getTime() - CSAT_COMMENT_WINDOW_MS), $lte: sentAt },
      },
      { $set: { comment: message.content.text.slice(0, 2000), commentMessageId: new Types.ObjectId(message.id) } },
    );
  });
}
