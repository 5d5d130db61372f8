import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { StoredMedia } from '../messaging/message-model.js';

/**
 * A recording whose call is not stored yet: providers post the recording and the call's final
 * status separately and in no promised order, so the recording waits here for its call.
 */
export interface PendingRecordingRecord {
  _id: Types.ObjectId;
  channelAccountId: Types.ObjectId;
  /** The provider's call id: the call entry's externalId. */
  externalId: string;
  recording: Omit<StoredMedia, 'state'>;
  createdAt: Date;
}

const pendingRecordingSchema = new Schema<PendingRecordingRecord>(
  {
    channelAccountId: { type: Schema.Types.ObjectId, required: true },
    externalId: { type: String, required: true },
    recording: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
pendingRecordingSchema.index({ channelAccountId: 1, externalId: 1 }, { unique: true });
// A call that never comes (a leg the account does not record, a hidden number) leaves its recording after a week.
pendingRecordingSchema.index({ createdAt: 1 }, { expireAfterSeconds: 7 * 24 * 60 * 60 });

const byConnection = new WeakMap<Connection, Model<PendingRecordingRecord>>();

export function pendingRecordingModel(db: Connection): Model<PendingRecordingRecord> {
  let model = byConnection.get(db);
  if (!model) {
    model = db.model<PendingRecordingRecord>('PendingRecording', pendingRecordingSchema);
    byConnection.set(db, model);
  }
  return model;
}
