import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { FlowDefinition } from '../../flows/index.js';
import { initModel } from '../db/init-model.js';

/**
 * One version of one flow: the YAML it was written as, the parsed definition runs pin, and the
 * on/off switch (kept on every version of the flow alike; the newest version is the one that
 * enrolls, older ones only finish the runs pinned to them).
 */
export interface FlowDefinitionRecord {
  _id: Types.ObjectId;
  flowId: string;
  version: number;
  source: string;
  definition: FlowDefinition;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const flowDefinitionSchema = new Schema<FlowDefinitionRecord>(
  {
    flowId: { type: String, required: true },
    version: { type: Number, required: true },
    source: { type: String, required: true },
    definition: { type: Schema.Types.Mixed, required: true },
    enabled: { type: Boolean, default: true },
  },
  { timestamps: true, collection: 'flow_definitions', minimize: false },
);
flowDefinitionSchema.index({ flowId: 1, version: 1 }, { unique: true });

export async function flowDefinitionModel(db: Connection): Promise<Model<FlowDefinitionRecord>> {
  const model: Model<FlowDefinitionRecord> =
    db.models.FlowDefinition ?? db.model<FlowDefinitionRecord>('FlowDefinition', flowDefinitionSchema);
  await initModel(model);
  return model;
}
