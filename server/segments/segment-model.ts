import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { SegmentDefinition } from './segment-definition.js';

export { segmentDefinitionSchema, type SegmentCondition, type SegmentDefinition } from './segment-definition.js';

export const SEGMENT_KINDS = ['filter', 'static'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

/**
 * A saved audience. A 'filter' segment is its definition, evaluated whenever it is read (a
 * broadcast freezes it at launch); a 'static' one is a fixed list whose members live in
 * `segment_members` (see segmentMemberModel), counted in `memberCount`.
 */
export interface SegmentRecord {
  _id: Types.ObjectId;
  name: string;
  kind: SegmentKind;
  definition?: SegmentDefinition;
  memberCount?: number;
  createdById: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
  /** Set when deleted: broadcasts that point to the segment still show what they were sent to. */
  deletedAt?: Date;
}

const segmentSchema = new Schema<SegmentRecord>(
  {
    name: { type: String, required: true },
    kind: { type: String, enum: SEGMENT_KINDS, required: true },
    // Validated by segmentDefinitionSchema at the API; stored as the plain data it parsed to.
    definition: { type: Schema.Types.Mixed },
    memberCount: Number,
    createdById: { type: Schema.Types.ObjectId, required: true },
    deletedAt: Date,
  },
  { versionKey: false, timestamps: true, collection: 'segments' },
);
// The list: live segments, newest first.
segmentSchema.index({ deletedAt: 1, _id: -1 });

const byConnection = new WeakMap<Connection, Model<SegmentRecord>>();

/** The Segment model on this connection, defined once per connection. */
export function segmentModel(db: Connection): Model<SegmentRecord> {
  let model = byConnection.get(db);
  if (!model) {
    model = db.models.Segment ?? db.model<SegmentRecord>('Segment', segmentSchema);
    byConnection.set(db, model);
  }
  return model;
}
