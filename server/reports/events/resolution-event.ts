import { Types } from 'mongoose';
import { conversationEvent, type EventConversation, type NewReportEvent } from './record-report-events.js';

/** What a resolution reads from the conversation: since when it has been open. */
export interface ResolutionContext extends EventConversation {
  openedAt?: Date;
  createdAt: Date;
}

/**
 * A conversation resolved: the seconds since the client's first message after the last
 * resolution (or since it was created), credited to its assignee (else whoever resolved it).
 */
export function resolutionEvent(
  conversation: ResolutionContext,
  resolved: { at: Date; userId?: Types.ObjectId | string },
): NewReportEvent {
  const openedAt = conversation.openedAt ?? conversation.createdAt;
  const { userId } = resolved;
  return conversationEvent(conversation, {
    kind: 'resolution',
    at: resolved.at,
    key: `resolution|${conversation._id.toHexString()}|${resolved.at.getTime()}`,
    seconds: (resolved.at.getTime() - openedAt.getTime()) / 1000,
    ...(userId ? { userId: typeof userId === 'string' ? new Types.ObjectId(userId) : userId } : {}),
  });
}
