import { Schema, type Connection, type Model } from 'mongoose';

export interface DemoSeedMarkerRecord {
  /** Always DEMO_SEED_MARKER_ID: the unique `_id` is what lets exactly one process seed. */
  _id: string;
  startedAt: Date;
  completedAt?: Date;
  counts?: Record<string, number>;
  /** The demo's clients in the order they were planned, so later seeds (site chats) can find client i. */
  contactIds?: string[];
}

export const DEMO_SEED_MARKER_ID = 'demo-workspace';

const markerSchema = new Schema<DemoSeedMarkerRecord>(
  {
    _id: { type: String, required: true },
    startedAt: { type: Date, required: true },
    completedAt: { type: Date },
    counts: { type: Schema.Types.Mixed },
    contactIds: { type: [String], default: undefined },
  },
  { versionKey: false, collection: 'demo_seed' },
);

/**
 * The record that the demo workspace was seeded (or is being seeded) in this database. Inserting
 * it is the claim: a second process, or a second start, fails on the `_id` and seeds nothing.
 */
export function demoSeedMarkerModel(db: Connection): Model<DemoSeedMarkerRecord> {
  return db.models.DemoSeedMarker ?? db.model<DemoSeedMarkerRecord>('DemoSeedMarker', markerSchema);
}
