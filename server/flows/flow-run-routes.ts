import { z } from 'zod';
import { notFound } from '../api/api-error.js';
import { defineRoute } from '../api/define-route.js';
import { contactModels } from '../contacts/contact-models.js';
import { contactScope } from '../contacts/contact-scope.js';
import { dealModel } from '../deals/deal-model.js';
import { dealScope } from '../deals/deal-scope.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { flowRunModel, type FlowRunRecord } from './flow-run-model.js';
import { flowRunViewSchema, toFlowRunView } from './flow-views.js';

const idParams = z.strictObject({ id: objectIdSchema });
const response = z.object({ items: z.array(flowRunViewSchema) });
const RUNS_SHOWN = 100;

const flowParams = z.strictObject({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/) });

/** Which flows ran for a deal or a contact, or of one flow, step by step (the newest runs first). */
export const flowRunRoutes = [
  defineRoute({
    method: 'get',
    path: '/flows/:id/runs',
    summary: "A flow's runs, the running ones first, with their history",
    tag: 'flows',
    access: 'pipelines.manage',
    params: flowParams,
    response,
    handler: async ({ params, services }) => {
      const Run = await flowRunModel(services.db);
      const active = await Run.find({ flowId: params.id, activeKey: { $type: 'string' } })
        .sort({ createdAt: -1 })
        .limit(RUNS_SHOWN)
        .lean<FlowRunRecord[]>();
      const ended = await Run.find({ flowId: params.id, activeKey: { $exists: false } })
        .sort({ createdAt: -1 })
        .limit(Math.max(0, RUNS_SHOWN - active.length))
        .lean<FlowRunRecord[]>();
      return { items: [...active, ...ended].map(toFlowRunView) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/deals/:id/flow-runs',
    summary: "The deal's flow runs with their history",
    tag: 'flows',
    access: 'deals.read',
    params: idParams,
    response,
    handler: async ({ params, user, services }) => {
      const Deal = await dealModel(services.db);
      const deal = await Deal.findOne({ ...dealScope(user), _id: params.id })
        .select({ contactId: 1 })
        .lean();
      if (!deal) throw notFound('Deal');
      const Run = await flowRunModel(services.db);
      const runs = await Run.find({ dealId: params.id })
        .sort({ createdAt: -1 })
        .limit(RUNS_SHOWN)
        .lean<FlowRunRecord[]>();
      return { items: runs.map(toFlowRunView) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/contacts/:id/flow-runs',
    summary: "The contact's flow runs with their history",
    tag: 'flows',
    access: 'contacts.read',
    params: idParams,
    response,
    handler: async ({ params, user, services }) => {
      const { Contact } = contactModels(services.db);
      if (!(await Contact.exists({ ...contactScope(user), _id: params.id }))) throw notFound('Contact');
      const Run = await flowRunModel(services.db);
      const runs = await Run.find({ contactId: params.id })
        .sort({ createdAt: -1 })
        .limit(RUNS_SHOWN)
        .lean<FlowRunRecord[]>();
      return { items: runs.map(toFlowRunView) };
    },
  }),
];
