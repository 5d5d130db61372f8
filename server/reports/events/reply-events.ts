import type { Types } from 'mongoose';
import { conversationEvent, type EventConversation, type NewReportEvent } from './record-report-events.js';

/** What a person's answer finds on the conversation: since when the client waited, and whether anyone answered before. */
export interface ReplyContext extends EventConversation {
  waitingSince?: Date;
  firstRespondedAt?: Date;
}

/**
 * The events of a person's outbound message: always `message_sent`; when the client was waiting,
 * a `reply` with the seconds they waited and, the first time a person answers here,
 * `first_response`. Shared by the live path (queueMessage) and the backfill, so both write the
 * same rows under the same keys: one reply per wait, one first response per conversation.
 */
export function replyEvents(
  conversation: ReplyContext,
  message: { id: Types.ObjectId; userId?: Types.ObjectId; at: Date },
  slaMinutes: number,
): NewReportEvent[] {
  const conversationId = conversation._id.toHexString();
  const sent = conversationEvent(conversation, {
    kind: 'message_sent',
    at: message.at,
    key: `message_sent|${message.id.toHexString()}`,
    ...(message.userId ? { userId: message.userId } : {}),
  });
  const { waitingSince } = conversation;
  if (!waitingSince) return [sent];
  const seconds = Math.max(0, Math.round((message.at.getTime() - waitingSince.getTime()) / 1000));
  const answer = {
    at: message.at,
    seconds,
    withinSla: seconds <= slaMinutes * 60,
    ...(message.userId ? { userId: message.userId } : {}),
  };
  const events = [
    sent,
    conversationEvent(conversation, {
      kind: 'reply',
      key: `reply|${conversationId}|${waitingSince.getTime()}`,
      ...answer,
    }),
  ];
  if (!conversation.firstRespondedAt)
    events.push(
      conversationEvent(conversation, { kind: 'first_response', key: `first_response|${conversationId}`, ...answer }),
    );
  return events;
}
