import { z } from 'zod';
import { defineRoute } from '../api/define-route.js';
import { recordAudit } from '../audit/record-audit.js';
import { applyFlowTemplate, listTemplateNames, readTemplate } from './apply-flow-template.js';
import { FLOW_WORKSPACE_ID, flowWorkspaceModel, type FlowWorkspaceRecord } from './flow-workspace-model.js';

const templateParamsSchema = z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/) });
const nameSchema = z.object({ ru: z.string(), en: z.string().optional() });

const templateViewSchema = z.object({
  name: z.string(),
  title: nameSchema,
  description: nameSchema.optional(),
  pipelines: z.array(z.object({ key: z.string(), name: nameSchema, stages: z.number().int() })),
  flows: z.array(z.object({ id: z.string(), name: nameSchema })),
  installed: z.boolean(),
});

const reportSchema = z.object({
  template: z.string(),
  created: z.object({
    pipelines: z.array(z.string()),
    stages: z.array(z.string()),
    lostReasons: z.array(z.string()),
    fields: z.array(z.string()),
    teams: z.array(z.string()),
    flows: z.array(z.string()),
  }),
  keptFlows: z.array(z.string()),
});

/** The shipped funnel templates, and setting a workspace up from one. Admins only: it changes the workspace. */
export const flowTemplateRoutes = [
  defineRoute({
    method: 'get',
    path: '/flows/templates',
    summary: 'The funnel templates shipped with the product: their pipelines and flows, and which is installed',
    tag: 'flows',
    access: 'settings.manage',
    response: z.object({ items: z.array(templateViewSchema) }),
    handler: async ({ services }) => {
      const workspace = await (
        await flowWorkspaceModel(services.db)
      )
        .findById(FLOW_WORKSPACE_ID)
        .lean<FlowWorkspaceRecord>();
      const items = [];
      for (const name of await listTemplateNames()) {
        const { file, flows } = await readTemplate(name);
        items.push({
          name,
          title: file.workspace.name,
          ...(file.workspace.description ? { description: file.workspace.description } : {}),
          pipelines: file.workspace.pipelines.map((pipeline) => ({
            key: pipeline.key,
            name: pipeline.name,
            stages: pipeline.stages.length,
          })),
          flows: flows.map((flow) => ({ id: flow.id, name: flow.name })),
          installed: workspace?.template === name,
        });
      }
      return { items };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/flows/templates/:name/install',
    summary:
      'Set the workspace up from a template (pipelines, stages, lost reasons, fields, teams, flows); repeating it changes nothing',
    tag: 'flows',
    access: 'settings.manage',
    params: templateParamsSchema,
    response: reportSchema,
    handler: async ({ params, user, services }) => {
      const report = await applyFlowTemplate(services.db, services.logger, params.name);
      await recordAudit(services, {
        actor: user,
        action: 'flow.template.install',
        entity: 'flow-template',
        entityId: params.name,
        after: report,
      });
      return report;
    },
  }),
];
