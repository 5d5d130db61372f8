import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** One contact on a static segment's list. */
export interface SegmentMemberRecord {
  _id: Types.ObjectId;
  segmentId: Types.ObjectId;
  contactId: Types.ObjectId;
}

const segmentMemberSchema = new Schema<SegmentMemberRecord>(
  {
    segmentId: { type: Schema.Types.ObjectId, required: true },
    contactId: { type: Schema.Types.ObjectId, required: true },
  },
  { versionKey: false, collection: 'segment_members' },
);
// A contact is on a list once (a CSV naming them twice adds nothing), and the audience pages
// through a list in contact order along this index.
segmentMemberSchema.index({ segmentId: 1, contactId: 1 }, { unique: true });

const byConnection = new WeakMap<Connection, Model<SegmentMemberRecord>>();

/** The static segments' member model on this connection. */
export function segmentMemberModel(db: Connection): Model<SegmentMemberRecord> {
  let model = byConnection.get(db);
  if (!model) {
    model = db.models.SegmentMember ?? db.model<SegmentMemberRecord>('SegmentMember', segmentMemberSchema);
    byConnection.set(db, model);
  }
  return model;
}
