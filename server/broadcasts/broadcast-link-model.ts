import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { BroadcastChannel } from './broadcast-model.js';

/**
 * One tracked link of one recipient: the code in `${publicUrl}/l/<code>` and the address it
 * stands for. Written when the recipient's message is rendered, by an upsert on the code, so a
 * replayed delivery job finds the same row.
 */
export interface BroadcastLinkRecord {
  _id: Types.ObjectId;
  code: string;
  broadcastId: Types.ObjectId;
  contactId: Types.ObjectId;
  channel: BroadcastChannel;
  url: string;
  /** The first click: only it counts. */
  firstClickAt?: Date;
  clicks: number;
  createdAt: Date;
}

const linkSchema = new Schema<BroadcastLinkRecord>(
  {
    code: { type: String, required: true },
    broadcastId: { type: Schema.Types.ObjectId, required: true },
    contactId: { type: Schema.Types.ObjectId, required: true },
    channel: { type: String, required: true },
    url: { type: String, required: true },
    firstClickAt: Date,
    clicks: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'broadcast_links' },
);
linkSchema.index({ code: 1 }, { unique: true });
// A recipient's links: whether any was clicked, the broadcast's links for reports.
linkSchema.index({ broadcastId: 1, contactId: 1 });

/** Every click on a tracked link, with its time (the link keeps the first and a count). */
export interface BroadcastLinkClickRecord {
  _id: Types.ObjectId;
  code: string;
  broadcastId: Types.ObjectId;
  contactId: Types.ObjectId;
  at: Date;
}

const clickSchema = new Schema<BroadcastLinkClickRecord>(
  {
    code: { type: String, required: true },
    broadcastId: { type: Schema.Types.ObjectId, required: true },
    contactId: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'broadcast_link_clicks' },
);
clickSchema.index({ code: 1, at: 1 });

const byConnection = new WeakMap<
  Connection,
  { Link: Model<BroadcastLinkRecord>; Click: Model<BroadcastLinkClickRecord> }
>();

export function broadcastLinkModels(db: Connection): {
  Link: Model<BroadcastLinkRecord>;
  Click: Model<BroadcastLinkClickRecord>;
} {
  let models = byConnection.get(db);
  if (!models) {
    models = {
      Link: db.models.BroadcastLink ?? db.model<BroadcastLinkRecord>('BroadcastLink', linkSchema),
      Click: db.models.BroadcastLinkClick ?? db.model<BroadcastLinkClickRecord>('BroadcastLinkClick', clickSchema),
    };
    byConnection.set(db, models);
  }
  return models;
}
