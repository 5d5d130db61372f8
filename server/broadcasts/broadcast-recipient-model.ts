import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { BroadcastChannel } from './broadcast-model.js';

export const RECIPIENT_STATUSES = [
  'planned',
  'skipped',
  'queued',
  'sent',
  'delivered',
  'read',
  'failed',
  'cancelled',
] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

/** One contact of a launched broadcast, frozen at launch: the channel and account it goes out on. */
export interface BroadcastRecipientRecord {
  _id: Types.ObjectId;
  broadcastId: Types.ObjectId;
  contactId: Types.ObjectId;
  channel?: BroadcastChannel;
  accountId?: Types.ObjectId;
  /** Where the message goes on the channel (Telegram user id, wa_id, E.164, e-mail address). */
  chatId?: string;
  status: RecipientStatus;
  skipReason?: string;
  messageId?: Types.ObjectId;
  sentAt?: Date;
  repliedAt?: Date;
  optedOutAt?: Date;
  /** The first click on any of its tracked links (server/broadcasts/record-link-click.ts). */
  clickedAt?: Date;
}

const recipientSchema = new Schema<BroadcastRecipientRecord>(
  {
    broadcastId: { type: Schema.Types.ObjectId, required: true },
    contactId: { type: Schema.Types.ObjectId, required: true },
    channel: String,
    accountId: Schema.Types.ObjectId,
    chatId: String,
    status: { type: String, enum: RECIPIENT_STATUSES, required: true },
    skipReason: String,
    messageId: Schema.Types.ObjectId,
    sentAt: Date,
    repliedAt: Date,
    optedOutAt: Date,
    clickedAt: Date,
  },
  { versionKey: false, collection: 'broadcast_recipients' },
);
// A contact never gets the same broadcast twice: a relaunch after a crash collides here.
recipientSchema.index({ broadcastId: 1, contactId: 1 }, { unique: true });
// The recipients list filtered by status, and the completion check (nothing planned or queued).
recipientSchema.index({ broadcastId: 1, status: 1, _id: 1 });
// The frequency cap and reply attribution: a contact's marketing messages of the last days.
recipientSchema.index({ contactId: 1, sentAt: -1 });

const byConnection = new WeakMap<Connection, Model<BroadcastRecipientRecord>>();

export function broadcastRecipientModel(db: Connection): Model<BroadcastRecipientRecord> {
  let model = byConnection.get(db);
  if (!model) {
    model = db.models.BroadcastRecipient ?? db.model<BroadcastRecipientRecord>('BroadcastRecipient', recipientSchema);
    byConnection.set(db, model);
  }
  return model;
}
