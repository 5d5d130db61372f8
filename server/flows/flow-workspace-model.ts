import { Schema, type Connection, type Model } from 'mongoose';
import type { Workspace } from '../../flows/schema/workspace-schema.js';
import { initModel } from '../db/init-model.js';

/** The workspace part of the installed flow template: new flow versions are validated against it. */
export interface FlowWorkspaceRecord {
  _id: string;
  template: string;
  workspace: Workspace;
  installedAt: Date;
}

const flowWorkspaceSchema = new Schema<FlowWorkspaceRecord>(
  {
    _id: { type: String, required: true },
    template: { type: String, required: true },
    workspace: { type: Schema.Types.Mixed, required: true },
    installedAt: { type: Date, required: true },
  },
  { collection: 'flow_workspace', minimize: false },
);

/** The one document's id. */
export const FLOW_WORKSPACE_ID = 'workspace';

export async function flowWorkspaceModel(db: Connection): Promise<Model<FlowWorkspaceRecord>> {
  const model: Model<FlowWorkspaceRecord> =
    db.models.FlowWorkspace ?? db.model<FlowWorkspaceRecord>('FlowWorkspace', flowWorkspaceSchema);
  await initModel(model);
  return model;
}
