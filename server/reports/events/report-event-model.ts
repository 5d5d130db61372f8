import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * What happened in a conversation, one row per event written when it happens (Chatwoot's
 * reporting_events): a person's first answer and every answer after a wait, a resolution, the bot
 * handing over, each message a person sent, and the bot taking a new conversation or booking a
 * consultation. Reports read these rows by (kind, at) instead of scanning messages.
 */
export const REPORT_EVENT_KINDS = [
  'first_response',
  'reply',
  'resolution',
  'handoff',
  'message_sent',
  'bot_started',
  'bot_booked',
] as const;
export type ReportEventKind = (typeof REPORT_EVENT_KINDS)[number];

export interface ReportEventRecord {
  _id: Types.ObjectId;
  kind: ReportEventKind;
  at: Date;
  /** How long it took: the wait answered (first_response, reply) or the time open (resolution). */
  seconds?: number;
  conversationId: Types.ObjectId;
  contactId: Types.ObjectId;
  channel: string;
  channelAccountId: Types.ObjectId;
  /** Who did it: the person who answered or sent, the assignee of a resolved conversation. */
  userId?: Types.ObjectId;
  teamIds: Types.ObjectId[];
  /** An answer given within the SLA of the report settings in force when it was given. */
  withinSla?: boolean;
  /** Unique per event: a retried job (or a second backfill) writes nothing twice. */
  key: string;
}

const reportEventSchema = new Schema<ReportEventRecord>(
  {
    kind: { type: String, enum: REPORT_EVENT_KINDS, required: true },
    at: { type: Date, required: true },
    seconds: Number,
    conversationId: { type: Schema.Types.ObjectId, required: true },
    contactId: { type: Schema.Types.ObjectId, required: true },
    channel: { type: String, required: true },
    channelAccountId: { type: Schema.Types.ObjectId, required: true },
    userId: Schema.Types.ObjectId,
    teamIds: { type: [Schema.Types.ObjectId], default: [] },
    withinSla: Boolean,
    key: { type: String, required: true },
  },
  { versionKey: false, collection: 'report_events' },
);
reportEventSchema.index({ key: 1 }, { unique: true });
// Every report reads one or a few kinds over a period.
reportEventSchema.index({ kind: 1, at: 1 });
// The bot report follows the conversations the bot took to their hand-over and booking; the
// backfill skips conversations that already have events.
reportEventSchema.index({ conversationId: 1, kind: 1 });

const byConnection = new WeakMap<Connection, Model<ReportEventRecord>>();

export function reportEventModel(db: Connection): Model<ReportEventRecord> {
  let model = byConnection.get(db);
  if (!model) {
    model = db.model<ReportEventRecord>('ReportEvent', reportEventSchema);
    byConnection.set(db, model);
  }
  return model;
}
