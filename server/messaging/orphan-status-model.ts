import { Schema, type Connection, type Model, type Types } from 'mongoose';

export interface OrphanStatusRecord {
  _id: Types.ObjectId;
  channelAccountId: Types.ObjectId;
  externalId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: Date;
  error?: { code: string; reason: string };
  createdAt: Date;
}

const orphanStatusSchema = new Schema<OrphanStatusRecord>(
  {
    channelAccountId: { type: Schema.Types.ObjectId, required: true },
    externalId: { type: String, required: true },
    status: { type: String, required: true },
    at: { type: Date, required: true },
    error: { type: Schema.Types.Mixed, default: undefined },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
orphanStatusSchema.index({ channelAccountId: 1, externalId: 1, status: 1 }, { unique: true });
// Statuses of messages that never get an id here (sent from the provider's own app) go after a day.
orphanStatusSchema.index({ createdAt: 1 }, { expireAfterSeconds: 24 * 60 * 60 });

function defineModel(db: Connection) {
  return db.model<OrphanStatusRecord>('OrphanStatus', orphanStatusSchema);
}

const byConnection = new WeakMap<Connection, Model<OrphanStatusRecord>>();

export function orphanStatusModel(db: Connection): Model<OrphanStatusRecord> {
  let model = byConnection.get(db);
  if (!model) {
    model = defineModel(db);
    byConnection.set(db, model);
  }
  return model;
}
