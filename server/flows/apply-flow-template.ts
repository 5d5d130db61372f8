import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { parseDocument, stringify } from 'yaml';
import { parseFlowFile, workspaceSetup, type FlowFile } from '../../flows/index.js';
import { notFound } from '../api/api-error.js';
import { customFieldModels } from '../custom-fields/custom-field-models.js';
import type { Logger } from '../observability/logger.js';
import { PROJECT_ROOT } from '../paths.js';
import { pipelineModel, type PipelineRecord } from '../pipelines/pipeline-model.js';
import { userModels } from '../users/user-models.js';
import { flowDefinitionModel } from './flow-definition-model.js';
import { forgetFlowsInstalled } from './flows-installed.js';
import { FLOW_WORKSPACE_ID, flowWorkspaceModel } from './flow-workspace-model.js';

const TEMPLATES = join(PROJECT_ROOT, 'flows', 'templates');

export interface TemplateReport {
  template: string;
  /** What this call added; an empty list means it was all there already. */
  created: {
    pipelines: string[];
    stages: string[];
    lostReasons: string[];
    fields: string[];
    teams: string[];
    flows: string[];
  };
  /** Flows already stored (any version): left as they are. */
  keptFlows: string[];
}

/** The templates shipped in flows/templates (file names without .yaml). */
export async function listTemplateNames(): Promise<string[]> {
  const files = await readdir(TEMPLATES);
  return files
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => file.slice(0, -'.yaml'.length))
    .sort();
}

export async function readTemplate(
  name: string,
): Promise<{ text: string; file: FlowFile; flows: ReturnType<typeof parseFlowFile>['definitions'] }> {
  if (!(await listTemplateNames()).includes(name)) throw notFound('Template');
  const text = await readFile(join(TEMPLATES, `${name}.yaml`), 'utf8');
  const { file, definitions } = parseFlowFile(text, `${name}.yaml`);
  return { text, file, flows: definitions };
}

const ignoreDuplicate = (error: { code?: number }) => {
  if (error.code !== 11000) throw error;
};

/**
 * Sets a workspace up from a template: its pipelines (found by key; a missing stage or lost
 * reason is added to a stored one, names an admin changed stay), custom fields and teams (added
 * when missing), the workspace settings flows are checked against, and version 1… of each of its
 * flows that is not stored yet (a flow already there, in any version, is kept as it is). Every
 * write is an insert-if-missing or $addToSet, so repeating it, or two at once, change nothing more.
 */
export async function applyFlowTemplate(db: Connection, logger: Logger, name: string): Promise<TemplateReport> {
  const { text, file, flows } = await readTemplate(name);
  const report: TemplateReport = {
    template: name,
    created: { pipelines: [], stages: [], lostReasons: [], fields: [], teams: [], flows: [] },
    keptFlows: [],
  };
  await ensurePipelines(db, file, report);
  const { CustomField } = customFieldModels(db);
  for (const [position, field] of file.workspace.fields.entries()) {
    const written = await CustomField.updateOne(
      { entity: field.entity, key: field.key },
      { $setOnInsert: { label: field.label, type: field.type, options: field.options ?? [], position } },
      { upsert: true },
    ).catch((error: { code?: number }) => ignoreDuplicate(error));
    if (written?.upsertedCount) report.created.fields.push(`${field.entity}.${field.key}`);
  }
  const { Team } = userModels(db);
  for (const team of file.workspace.teams) {
    const written = await Team.updateOne(
      { nameKey: team.name.ru.toLowerCase() },
      { $setOnInsert: { name: team.name.ru, description: team.name.en ?? '' } },
      { upsert: true },
    ).catch((error: { code?: number }) => ignoreDuplicate(error));
    if (written?.upsertedCount) report.created.teams.push(team.key);
  }
  const Definition = await flowDefinitionModel(db);
  const raw: unknown = parseDocument(text).toJS();
  const rawFlows =
    typeof raw === 'object' && raw !== null && 'flows' in raw && Array.isArray(raw.flows) ? raw.flows : [];
  for (const [index, definition] of flows.entries()) {
    if (await Definition.exists({ flowId: definition.id })) {
      report.keptFlows.push(definition.id);
      continue;
    }
    const written = await Definition.updateOne(
      { flowId: definition.id, version: definition.version },
      { $setOnInsert: { source: stringify(rawFlows[index] ?? {}), definition, enabled: definition.enabled } },
      { upsert: true },
    ).catch((error: { code?: number }) => ignoreDuplicate(error));
    if (written?.upsertedCount) report.created.flows.push(definition.id);
    else report.keptFlows.push(definition.id);
  }
  await (
    await flowWorkspaceModel(db)
  )
    .updateOne(
      { _id: FLOW_WORKSPACE_ID },
      { $set: { template: name, workspace: file.workspace }, $setOnInsert: { installedAt: new Date() } },
      { upsert: true },
    )
    .catch((error: { code?: number }) => ignoreDuplicate(error));
  forgetFlowsInstalled(db);
  logger.info({ template: name, created: report.created }, 'flow template applied');
  return report;
}

async function ensurePipelines(db: Connection, file: FlowFile, report: TemplateReport): Promise<void> {
  const Pipeline = await pipelineModel(db);
  for (const setup of workspaceSetup(file.workspace).pipelines) {
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
    const existed = await Pipeline.exists({ systemKey: setup.systemKey });
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
    if (!stored) continue;
    if (!existed) {
      report.created.pipelines.push(setup.systemKey);
      continue;
    }
    // A stored pipeline lacking a stage the flows name gets it before its won/lost stages.
    const missing = setup.stages.filter((stage) => !stored.stages.some((candidate) => candidate.id === stage.id));
    const reasons = setup.lostReasons.filter((reason) => !stored.lostReasons.includes(reason));
    if (missing.length === 0 && reasons.length === 0) continue;
    const open = stored.stages.filter((stage) => stage.kind === 'open');
    const closed = stored.stages.filter((stage) => stage.kind !== 'open');
    const added = missing.filter((stage) => stage.kind === 'open');
    const stages = [...open, ...added, ...closed].map((stage, order) => ({ ...stage, order }));
    await Pipeline.updateOne(
      { _id: stored._id, 'stages.id': { $nin: added.map((stage) => stage.id) } },
      { $set: { stages, updatedAt: new Date() } },
    );
    if (reasons.length > 0)
      await Pipeline.updateOne({ _id: stored._id }, { $addToSet: { lostReasons: { $each: reasons } } });
    report.created.stages.push(...added.map((stage) => `${setup.systemKey}/${stage.id}`));
    report.created.lostReasons.push(...reasons.map((reason) => `${setup.systemKey}/${reason}`));
  }
}
