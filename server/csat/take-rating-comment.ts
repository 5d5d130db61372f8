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
  events.onBatch('message.received', async (received) => {
    const texts = received.flatMap(({ message, conversation }) =>
      message.direction === 'in' && message.content.kind === 'text'
        ? [{ message, conversation, text: message.content.text }]
        : [],
    );
    if (texts.length === 0) return;
    const sentAts = texts.map(({ message }) => new Date(message.createdAt).getTime());
    const Csat = csatModel(services.db);
    // One read for the whole batch: almost always nothing was rated in these conversations lately.
    const open = await Csat.find(
      {
        conversationId: {
          $in: [...new Set(texts.map(({ conversation }) => conversation.id))].map((id) => new Types.ObjectId(id)),
        },
        comment: { $exists: false },
        ratedAt: {
          $gte: new Date(Math.min(...sentAts) - CSAT_COMMENT_WINDOW_MS),
          $lte: new Date(Math.max(...sentAts)),
        },
      },
      { conversationId: 1, ratedAt: 1 },
    ).lean();
    const ratedAt = new Map(open.map((rating) => [rating.conversationId.toHexString(), rating.ratedAt.getTime()]));
    for (const [index, { message, conversation, text }] of texts.entries()) {
      const rated = ratedAt.get(conversation.id);
      const sentAt = sentAts[index]!;
      if (rated === undefined || rated > sentAt || rated < sentAt - CSAT_COMMENT_WINDOW_MS) continue;
      // The first text after the rating is its comment; a second one in the same batch is not.
      ratedAt.delete(conversation.id);
      await Csat.updateOne(
        {
          conversationId: new Types.ObjectId(conversation.id),
          comment: { $exists: false },
          ratedAt: { $gte: new Date(sentAt - CSAT_COMMENT_WINDOW_MS), $lte: new Date(sentAt) },
        },
        { $set: { comment: text.slice(0, 2000), commentMessageId: new Types.ObjectId(message.id) } },
      );
    }
  });
}
