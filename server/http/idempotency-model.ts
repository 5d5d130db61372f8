import { Schema, type Connection, type Model } from 'mongoose';
import { initModel } from '../db/init-model.js';

/** How long a key and its answer are kept: clients may retry for a day (the store's TTL monitor drops them after). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export interface IdempotencyRecord {
  /** `<scope>:<key>`: the _id's uniqueness is what lets one of two racing requests run. */
  _id: string;
  /** SHA-256 of the request as understood, so the same key with another request is told apart. */
  fingerprint: string;
  state: 'running' | 'done';
  /** Until when the running request holds the key; past it (that process died) another may take over. */
  lockedUntil: Date;
  response?: { status: number; body: unknown };
  createdAt: Date;
}

const idempotencySchema = new Schema<IdempotencyRecord>(
  {
    _id: { type: String, required: true },
    fingerprint: { type: String, required: true },
    state: { type: String, enum: ['running', 'done'], required: true },
    lockedUntil: { type: Date, required: true },
    response: { type: new Schema({ status: Number, body: Schema.Types.Mixed }, { _id: false }) },
    createdAt: { type: Date, required: true, index: { expireAfterSeconds: IDEMPOTENCY_TTL_SECONDS } },
  },
  { versionKey: false, minimize: false, collection: 'idempotencykeys' },
);

/** The idempotency keys on this connection, the TTL index built before the first key relies on it. */
export async function idempotencyModel(db: Connection): Promise<Model<IdempotencyRecord>> {
  const model: Model<IdempotencyRecord> =
    db.models.IdempotencyKey ?? db.model<IdempotencyRecord>('IdempotencyKey', idempotencySchema);
  await initModel(model);
  return model;
}
