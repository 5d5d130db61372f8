import { z } from 'zod';
import { ApiError, conflict, notFound } from '../api/api-error.js';
import { defineRoute } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { recordAudit } from '../audit/record-audit.js';
import { flowDefinitionModel, type FlowDefinitionRecord } from './flow-definition-model.js';
import { FLOW_WORKSPACE_ID, flowWorkspaceModel, type FlowWorkspaceRecord } from './flow-workspace-model.js';
import { readTemplate } from './apply-flow-template.js';
import { latestDefinitions } from './flow-definitions.js';
import { forgetFlowsInstalled } from './flows-installed.js';
import { flowRunModel } from './flow-run-model.js';
import { flowSummarySchema, toFlowSummary } from './flow-views.js';
import { validateFlowVersion } from './validate-flow-version.js';

const { say } = errorTexts;

const flowIdParamsSchema = z.strictObject({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/) });
const putFlowSchema = z.strictObject({ yaml: z.string().min(1).max(200_000) });

async function versionsOf(db: Parameters<typeof flowDefinitionModel>[0], flowId: string) {
  const Definition = await flowDefinitionModel(db);
  return Definition.find({ flowId }).sort({ version: -1 }).lean<FlowDefinitionRecord[]>();
}

async function setEnabled(db: Parameters<typeof flowDefinitionModel>[0], flowId: string, enabled: boolean) {
  const Definition = await flowDefinitionModel(db);
  const written = await Definition.updateMany({ flowId }, { $set: { enabled } });
  if (written.matchedCount === 0) throw notFound('Flow');
  return toFlowSummary(await versionsOf(db, flowId));
}

/** Flow definitions: list, read, upload a new version, switch on and off. Managers and admins (they run the funnel). */
export const flowRoutes = [
  defineRoute({
    method: 'get',
    path: '/flows',
    summary: 'List the flows with their versions and whether they are on',
    tag: 'flows',
    access: 'pipelines.manage',
    response: z.object({
      items: z.array(flowSummarySchema),
      template: z.string().optional(),
      templateTitle: z.object({ ru: z.string(), en: z.string().optional() }).optional(),
    }),
    handler: async ({ services }) => {
      const Definition = await flowDefinitionModel(services.db);
      const all = await Definition.find({}).sort({ flowId: 1, version: -1 }).lean<FlowDefinitionRecord[]>();
      const byFlow = new Map<string, FlowDefinitionRecord[]>();
      for (const record of all) byFlow.set(record.flowId, [...(byFlow.get(record.flowId) ?? []), record]);
      const workspace = await (
        await flowWorkspaceModel(services.db)
      )
        .findById(FLOW_WORKSPACE_ID)
        .lean<FlowWorkspaceRecord>();
      // A template file dropped from a later release leaves its key: still worth showing.
      const title = workspace
        ? await readTemplate(workspace.template).then(
            ({ file }) => file.workspace.name,
            () => undefined,
          )
        : undefined;
      return {
        items: [...byFlow.values()].map(toFlowSummary),
        ...(workspace ? { template: workspace.template } : {}),
        ...(title ? { templateTitle: title } : {}),
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/flows/:id',
    summary: 'A flow: its newest definition and source, its versions and how many runs are active',
    tag: 'flows',
    access: 'pipelines.manage',
    params: flowIdParamsSchema,
    handler: async ({ params, services }) => {
      const versions = await versionsOf(services.db, params.id);
      const [latest] = versions;
      if (!latest) throw notFound('Flow');
      const Run = await flowRunModel(services.db);
      const activeRuns = await Run.countDocuments({ flowId: params.id, activeKey: { $type: 'string' } });
      return { ...toFlowSummary(versions), source: latest.source, definition: latest.definition, activeRuns };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/flows/:id',
    summary: 'Store a new version of a flow from its YAML (validated; running runs keep their version)',
    tag: 'flows',
    access: 'pipelines.manage',
    params: flowIdParamsSchema,
    body: putFlowSchema,
    handler: async ({ params, body, user, language, services }) => {
      const workspace = await (
        await flowWorkspaceModel(services.db)
      )
        .findById(FLOW_WORKSPACE_ID)
        .lean<FlowWorkspaceRecord>();
      if (!workspace) throw conflict(say('noFlowTemplate'));
      const others = await latestDefinitions(services.db);
      const check = validateFlowVersion(body.yaml, params.id, workspace.workspace, others, language);
      if (!check.ok) throw new ApiError(400, 'invalid_flow', say('flowProblems'), { issues: check.issues });
      const previous = (await versionsOf(services.db, params.id))[0];
      const version = (previous?.version ?? 0) + 1;
      const Definition = await flowDefinitionModel(services.db);
      await Definition.create({
        flowId: params.id,
        version,
        source: body.yaml,
        definition: { ...check.definition, version },
        enabled: previous?.enabled ?? check.definition.enabled,
      }).catch((error: { code?: number }) => {
        if (error.code === 11000) throw conflict(say('flowVersionRace'));
        throw error;
      });
      forgetFlowsInstalled(services.db);
      const summary = toFlowSummary(await versionsOf(services.db, params.id));
      await recordAudit(services, {
        actor: user,
        action: 'flow.version',
        entity: 'flow',
        entityId: params.id,
        after: { version },
      });
      return summary;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/flows/:id/enable',
    summary: 'Switch a flow on (it enrolls again)',
    tag: 'flows',
    access: 'pipelines.manage',
    params: flowIdParamsSchema,
    response: flowSummarySchema,
    handler: async ({ params, user, services }) => {
      const summary = await setEnabled(services.db, params.id, true);
      await recordAudit(services, { actor: user, action: 'flow.enable', entity: 'flow', entityId: params.id });
      return summary;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/flows/:id/disable',
    summary: 'Switch a flow off (no new runs; running ones finish)',
    tag: 'flows',
    access: 'pipelines.manage',
    params: flowIdParamsSchema,
    response: flowSummarySchema,
    handler: async ({ params, user, services }) => {
      const summary = await setEnabled(services.db, params.id, false);
      await recordAudit(services, { actor: user, action: 'flow.disable', entity: 'flow', entityId: params.id });
      return summary;
    },
  }),
];
