import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { BroadcastChannel } from './broadcast-model.js';

/**
 * A lead or deal put down to a broadcast (server/broadcasts/attribute-deal.ts), one row per
 * deal record: written once, so a deal seen again (every change publishes it) counts once.
 */
export interface BroadcastAttributionRecord {
  _id: Types.ObjectId;
  dealId: Types.ObjectId;
  broadcastId: Types.ObjectId;
  contactId: Types.ObjectId;
  channel?: BroadcastChannel;
  /** `lead`: a record of a leads pipeline; `deal`: of a sales (or other) pipeline, the only kind won with revenue. */
  kind: 'lead' | 'deal';
  /** Set when it came from an attributed lead (a conversion): it counts as a deal, not as another lead. */
  fromLeadId?: Types.ObjectId;
  wonAt?: Date;
  revenue?: number;
  createdAt: Date;
}

const attributionSchema = new Schema<BroadcastAttributionRecord>(
  {
    dealId: { type: Schema.Types.ObjectId, required: true },
    broadcastId: { type: Schema.Types.ObjectId, required: true },
    contactId: { type: Schema.Types.ObjectId, required: true },
    channel: String,
    kind: { type: String, enum: ['lead', 'deal'], required: true },
    fromLeadId: Schema.Types.ObjectId,
    wonAt: Date,
    revenue: Number,
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'broadcast_attributions' },
);
attributionSchema.index({ dealId: 1 }, { unique: true });
attributionSchema.index({ broadcastId: 1 });

const byConnection = new WeakMap<Connection, Model<BroadcastAttributionRecord>>();

export function broadcastAttributionModel(db: Connection): Model<BroadcastAttributionRecord> {
  let model = byConnection.get(db);
  if (!model) {
    model =
      db.models.BroadcastAttribution ?? db.model<BroadcastAttributionRecord>('BroadcastAttribution', attributionSchema);
    byConnection.set(db, model);
  }
  return model;
}
