import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { initModel } from '../../db/init-model.js';

/**
 * One weekly digest to one person: claimed before the mail goes out, marked sent once the SMTP
 * server took it. The unique (week, user) key is what makes a retried or doubled job send once.
 */
export interface SentDigestRecord {
  _id: Types.ObjectId;
  /** The Monday the reported week starts on, YYYY-MM-DD. */
  week: string;
  userId: Types.ObjectId;
  email: string;
  status: 'sending' | 'sent';
  /** When a run took it: a claim older than a few minutes belongs to a run that died. */
  claimedAt?: Date;
  sentAt?: Date;
  messageId?: string;
}

const sentDigestSchema = new Schema<SentDigestRecord>(
  {
    week: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    email: { type: String, required: true },
    status: { type: String, enum: ['sending', 'sent'], required: true },
    claimedAt: Date,
    sentAt: Date,
    messageId: String,
  },
  { versionKey: false, collection: 'sent_digests' },
);
sentDigestSchema.index({ week: 1, userId: 1 }, { unique: true });

/** The model on this connection, its unique index built before the first claim relies on it. */
export async function sentDigestModel(db: Connection): Promise<Model<SentDigestRecord>> {
  const model: Model<SentDigestRecord> =
    db.models.SentDigest ?? db.model<SentDigestRecord>('SentDigest', sentDigestSchema);
  await initModel(model);
  return model;
}
