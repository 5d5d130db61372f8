import type { Connection } from 'mongoose';
import type { Logger } from '../observability/logger.js';
import { applyFlowTemplate } from './apply-flow-template.js';
import { flowDefinitionModel } from './flow-definition-model.js';
import { FLOW_WORKSPACE_ID, flowWorkspaceModel } from './flow-workspace-model.js';

/** The template a fresh workspace gets (the demo's window maker). */
export const DEFAULT_FLOW_TEMPLATE = 'windows';

/**
 * On the first start: installs a template from flows/templates (see applyFlowTemplate) unless a
 * workspace with flows is there already. Two processes starting at once, or a start that died
 * half-way, end with the same result. Returns whether anything was installed.
 */
export async function installFlowTemplate(
  db: Connection,
  logger: Logger,
  template = DEFAULT_FLOW_TEMPLATE,
): Promise<boolean> {
  const Workspace = await flowWorkspaceModel(db);
  const Definition = await flowDefinitionModel(db);
  if ((await Workspace.exists({ _id: FLOW_WORKSPACE_ID })) && (await Definition.exists({}))) return false;
  await applyFlowTemplate(db, logger, template);
  return true;
}
