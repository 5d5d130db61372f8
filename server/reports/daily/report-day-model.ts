import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** One count of a day: whose work (a user, or none), on which channel (where it has one). */
export interface DayCount {
  userId: Types.ObjectId | null;
  channel: string | null;
  count: number;
}

/**
 * A measure's rows of one closed day in one time zone, kept once counted (the daily
 * pre-aggregation): a report over a month reads thirty of these instead of every message, call,
 * task and stage move of the month. The rows are counts (DayCount) or a report's own groups.
 * `_id` is `measure|timeZone|day`.
 */
export interface ReportDayRecord {
  _id: string;
  measure: string;
  timeZone: string;
  day: string;
  /** The moments the day starts and ends in its time zone: a change to a record of a moment forgets the days around it. */
  from?: Date;
  to?: Date;
  counts: unknown[];
  countedAt: Date;
}

const reportDaySchema = new Schema<ReportDayRecord>(
  {
    _id: { type: String, required: true },
    measure: { type: String, required: true },
    timeZone: { type: String, required: true },
    day: { type: String, required: true },
    from: Date,
    to: Date,
    // Each measure's rows have their own shape, written as counted.
    counts: { type: [Schema.Types.Mixed], default: [] },
    countedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'report_days' },
);
// Forgetting a measure's days (after a backfill wrote events into the past) reads by measure.
reportDaySchema.index({ measure: 1 });
// Forgetting the days of a changed record (a deal of that day's cohort) reads by measure and start.
reportDaySchema.index({ measure: 1, from: 1 });

const byConnection = new WeakMap<Connection, Model<ReportDayRecord>>();

export function reportDayModel(db: Connection): Model<ReportDayRecord> {
  let model = byConnection.get(db);
  if (!model) {
    model = db.model<ReportDayRecord>('ReportDay', reportDaySchema);
    byConnection.set(db, model);
  }
  return model;
}
