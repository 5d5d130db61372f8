import { Schema, type Connection, type Model } from 'mongoose';
import { initModel } from '../db/init-model.js';

/**
 * How far the timer scan has got: every moment up to `scannedUntil` has had its time-based events
 * handed to the flows. Stored, so a restart goes on from there instead of skipping or repeating.
 */
export interface FlowTimerRecord {
  _id: string;
  scannedUntil: Date;
}

const flowTimerSchema = new Schema<FlowTimerRecord>(
  { _id: { type: String, required: true }, scannedUntil: { type: Date, required: true } },
  { collection: 'flow_timers', versionKey: false },
);

/** The one document's id. */
export const FLOW_TIMER_ID = 'scan';

export async function flowTimerModel(db: Connection): Promise<Model<FlowTimerRecord>> {
  const model: Model<FlowTimerRecord> = db.models.FlowTimer ?? db.model<FlowTimerRecord>('FlowTimer', flowTimerSchema);
  await initModel(model);
  return model;
}
