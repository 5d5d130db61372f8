import type { Connection, Types } from 'mongoose';
import { reportEventModel, type ReportEventKind, type ReportEventRecord } from './report-event-model.js';
import { initModel } from '../../db/init-model.js';
import { insertNewDocuments } from '../../db/insert-new-documents.js';

/** The conversation fields every event copies, so reports filter by channel and team without a join. */
export interface EventConversation {
  _id: Types.ObjectId;
  contactId: Types.ObjectId;
  channel: string;
  channelAccountId: Types.ObjectId;
  teamIds: Types.ObjectId[];
}

export type NewReportEvent = Omit<ReportEventRecord, '_id'>;

/** An event of a conversation; undefined fields are left out (the driver would store them as null). */
export function conversationEvent(
  conversation: EventConversation,
  event: {
    kind: ReportEventKind;
    at: Date;
    key: string;
    seconds?: number;
    userId?: Types.ObjectId;
    withinSla?: boolean;
  },
): NewReportEvent {
  return {
    kind: event.kind,
    at: event.at,
    ...(event.seconds === undefined ? {} : { seconds: Math.max(0, Math.round(event.seconds)) }),
    conversationId: conversation._id,
    contactId: conversation.contactId,
    channel: conversation.channel,
    channelAccountId: conversation.channelAccountId,
    ...(event.userId ? { userId: event.userId } : {}),
    teamIds: conversation.teamIds ?? [],
    ...(event.withinSla === undefined ? {} : { withinSla: event.withinSla }),
    key: event.key,
  };
}

/**
 * Writes events in one round trip; one whose key is already stored (a retried job, a second
 * backfill) is skipped, the others are written. Answers how many were new.
 */
export async function recordReportEvents(db: Connection, events: readonly NewReportEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const ReportEvent = reportEventModel(db);
  // The unique key must exist before the first write relies on it.
  await initModel(ReportEvent);
  const stored = await insertNewDocuments(
    ReportEvent.collection,
    events.map((event) => ({ ...event })),
  );
  return events.length - stored.size;
}
