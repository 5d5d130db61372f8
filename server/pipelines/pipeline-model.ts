import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { PIPELINE_KINDS, STAGE_KINDS, type PipelineKind, type Stage } from './pipeline-schema.js';
import { initModel } from '../db/init-model.js';

export interface PipelineRecord {
  _id: Types.ObjectId;
  name: string;
  kind: PipelineKind;
  /** Marks the pipelines the product ships (seed 001), so seeding can find them again. */
  systemKey?: string;
  stages: Stage[];
  lostReasons: string[];
  archived: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const stageSchema = new Schema<Stage>(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    kind: { type: String, enum: STAGE_KINDS, required: true },
    order: { type: Number, required: true },
  },
  { _id: false },
);

const pipelineSchema = new Schema<PipelineRecord>(
  {
    name: { type: String, required: true },
    kind: { type: String, enum: PIPELINE_KINDS, required: true },
    systemKey: { type: String },
    stages: { type: [stageSchema], required: true },
    lostReasons: { type: [String], default: [] },
    archived: { type: Boolean, default: false },
  },
  { timestamps: true, collection: 'pipelines' },
);
// The guard against two processes seeding the same default pipeline at once.
pipelineSchema.index({ systemKey: 1 }, { unique: true, partialFilterExpression: { systemKey: { $exists: true } } });

/** The Pipeline model on this connection, its indexes built before the first write relies on them. */
export async function pipelineModel(db: Connection): Promise<Model<PipelineRecord>> {
  const model: Model<PipelineRecord> = db.models.Pipeline ?? db.model<PipelineRecord>('Pipeline', pipelineSchema);
  await initModel(model);
  return model;
}
