import type { Connection, Types } from 'mongoose';
import { isDuplicateKeyError } from '../../contacts/is-duplicate-key-error.js';
import { reportEventModel, type ReportEventKind, type ReportEventRecord } from './report-event-model.js';
import { initModel } from '../../db/init-model.js';

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
  try {
    const result = await ReportEvent.collection.insertMany(
      events.map((event) => ({ ...event })),
      { ordered: false },
    );
    return result.insertedCount;
  } catch (error) {
    // Duck-typed like ingest's insertAll: mongoose brings its own copy of the driver.
    const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
    if (!writeErrors && !isDuplicateKeyError(error)) throw error;
    const errors = (Array.isArray(writeErrors) ? writeErrors : [writeErrors ?? error]) as { code?: number }[];
    if (errors.some((writeError) => writeError.code !== 11000)) throw error;
    return events.length - errors.length;
  }
}
