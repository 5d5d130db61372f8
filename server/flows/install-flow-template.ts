import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { parseDocument, stringify } from 'yaml';
import { parseFlowFile, workspaceSetup } from '../../flows/index.js';
import type { Logger } from '../observability/logger.js';
import { PROJECT_ROOT } from '../paths.js';
import { pipelineModel, type PipelineRecord } from '../pipelines/pipeline-model.js';
import { forgetFlowsInstalled } from './flows-installed.js';
import { flowDefinitionModel } from './flow-definition-model.js';
import { FLOW_WORKSPACE_ID, flowWorkspaceModel } from './flow-workspace-model.js';

/** The template a fresh workspace gets (the demo's window maker). */
export const DEFAULT_FLOW_TEMPLATE = 'windows';

/**
 * On the first start: installs a template from flows/templates — its pipelines (by systemKey,
 * insert-only, so what an admin renamed stays), its workspace settings and version 1… of each of
 * its flows. Every write is an insert-if-missing, so two processes starting at once, or a start
 * that died half-way, end with the same result. Returns whether anything was installed.
 */
export async function installFlowTemplate(
  db: Connection,
  logger: Logger,
  template = DEFAULT_FLOW_TEMPLATE,
): Promise<boolean> {
  const Workspace = await flowWorkspaceModel(db);
  const Definition = await flowDefinitionModel(db);
  if ((await Workspace.exists({ _id: FLOW_WORKSPACE_ID })) && (await Definition.exists({}))) return false;
  const fileName = `${template}.yaml`;
  const text = await readFile(join(PROJECT_ROOT, 'flows', 'templates', fileName), 'utf8');
  const { file, definitions } = parseFlowFile(text, fileName);
  await ensureTemplatePipelines(db, logger, workspaceSetup(file.workspace).pipelines);
  const raw: unknown = parseDocument(text).toJS();
  const rawFlows = isRecord(raw) && Array.isArray(raw.flows) ? raw.flows : [];
  for (const [index, definition] of definitions.entries()) {
    await Definition.updateOne(
      { flowId: definition.id, version: definition.version },
      {
        $setOnInsert: {
          source: stringify(rawFlows[index] ?? {}),
          definition,
          enabled: definition.enabled,
        },
      },
      { upsert: true },
    ).catch(ignoreDuplicate);
  }
  await Workspace.updateOne(
    { _id: FLOW_WORKSPACE_ID },
    { $setOnInsert: { template, workspace: file.workspace, installedAt: new Date() } },
    { upsert: true },
  ).catch(ignoreDuplicate);
  forgetFlowsInstalled(db);
  logger.info({ template, flows: definitions.length }, 'flow template installed');
  return true;
}

type PipelineSetup = ReturnType<typeof workspaceSetup>['pipelines'][number];

/** The template's pipelines, inserted when missing; a stored one lacking a stage the flows name is reported. */
async function ensureTemplatePipelines(db: Connection, logger: Logger, pipelines: PipelineSetup[]): Promise<void> {
  const Pipeline = await pipelineModel(db);
  for (const setup of pipelines) {
    const now = new Date();
    const insert = {
      name: setup.name,
      kind: setup.kind,
      stages: setup.stages.map((stage, order) => ({ ...stage, order })),
      lostReasons: setup.lostReasons,
      archived: false,
      createdAt: now,
      updatedAt: now,
    };
    const upsert = () =>
      Pipeline.findOneAndUpdate(
        { systemKey: setup.systemKey },
        { $setOnInsert: insert },
        { upsert: true, returnDocument: 'after', timestamps: false },
      ).lean<PipelineRecord>();
    const stored = await upsert().catch((error: { code?: number }) => {
      if (error.code === 11000) return upsert();
      throw error;
    });
    const missing = setup.stages.filter((stage) => !stored?.stages.some((candidate) => candidate.id === stage.id));
    if (missing.length > 0)
      logger.warn(
        { pipeline: setup.systemKey, stages: missing.map((stage) => stage.id) },
        'the stored pipeline lacks stages the flow template uses',
      );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function ignoreDuplicate(error: { code?: number }): void {
  if (error.code !== 11000) throw error;
}
