import type { Connection } from 'mongoose';
import { FLOW_WORKSPACE_ID, flowWorkspaceModel, type FlowWorkspaceRecord } from '../../flows/flow-workspace-model.js';

/** The workspace's time zone (the installed flow template's), Moscow when none is installed. */
export async function workspaceTimeZone(db: Connection): Promise<string> {
  const stored = await (await flowWorkspaceModel(db)).findById(FLOW_WORKSPACE_ID).lean<FlowWorkspaceRecord>();
  return stored?.workspace.timeZone ?? 'Europe/Moscow';
}
