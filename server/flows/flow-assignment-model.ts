import { Schema, type Connection, type Model } from 'mongoose';
import { initModel } from '../db/init-model.js';

/**
 * Whom an effect of a run was given to (`_id` is the effect's id), so a retried effect lands on the
 * same person instead of taking another turn of the round robin. Round-robin counters per team
 * live here too, under `rr|<team id>`.
 */
export interface FlowAssignmentRecord {
  _id: string;
  userId?: string;
  turn?: number;
}

const flowAssignmentSchema = new Schema<FlowAssignmentRecord>(
  { _id: { type: String, required: true }, userId: { type: String }, turn: { type: Number } },
  { collection: 'flow_assignments', versionKey: false },
);

export async function flowAssignmentModel(db: Connection): Promise<Model<FlowAssignmentRecord>> {
  const model: Model<FlowAssignmentRecord> =
    db.models.FlowAssignment ?? db.model<FlowAssignmentRecord>('FlowAssignment', flowAssignmentSchema);
  await initModel(model);
  return model;
}
