import { z } from 'zod';
import { badRequest, notFound } from '../api/api-error.js';
import { defineRoute } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { pageOf } from '../api/pagination.js';
import { withContactNames } from '../messaging/with-contact-names.js';
import { validateCustomFields } from '../custom-fields/validate-custom-fields.js';
import { findPipeline } from '../pipelines/find-pipeline.js';
import { firstOpenStage, stageOf } from '../pipelines/pipeline-stages.js';
import { actorOf } from './actor-schema.js';
import { assertMayAssign } from './assert-may-assign.js';
import { changeDeal } from './change-deal.js';
import { copyDeal } from './copy-deal.js';
import { dealListFilter } from './deal-list-filter.js';
import { dealModel, type DealRecord } from './deal-model.js';
import {
  copyDealSchema,
  createDealSchema,
  dealIdParamsSchema,
  dealListQuerySchema,
  dealTotalsQuerySchema,
  dealTotalsSchema,
  dealViewSchema,
  loseDealSchema,
  moveDealSchema,
  updateDealSchema,
} from './deal-schema.js';
import { dealScope } from './deal-scope.js';
import { dealTotals } from './deal-totals.js';
import { insertDeal } from './insert-deal.js';
import { moveDeal } from './move-deal.js';
import { publishDealChange } from './publish-deal-change.js';
import { publishDealCopy } from './publish-deal-copy.js';
import { toDealView } from './to-deal-view.js';
import { withNextTasks } from './with-next-tasks.js';

/** `null` in custom fields means "no value", which is stored as no key at all. */
const withoutNulls = (values: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));

export const dealRoutes = [
  defineRoute({
    method: 'get',
    path: '/deals',
    summary:
      "List deals (newest first) by pipeline, stage, owner, contact, company, status or title, with the contact's name and the next open task",
    tag: 'deals',
    access: 'deals.read',
    query: dealListQuerySchema,
    response: z.object({
      items: z.array(
        dealViewSchema.extend({
          contactName: z.string().optional(),
          nextTask: z.object({ title: z.string(), dueAt: z.date().optional() }).optional(),
        }),
      ),
      nextCursor: z.string().optional(),
    }),
    handler: async ({ query, user, services }) => {
      const Deal = await dealModel(services.db);
      const rows = await Deal.find(dealListFilter(query, user))
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean<DealRecord[]>();
      // Boards show each deal's contact and next task: a query per page instead of reads per deal.
      const page = pageOf(rows.map(toDealView), query.limit);
      return { ...page, items: await withNextTasks(services.db, await withContactNames(services, page.items)) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/deals/totals',
    summary: "A pipeline's board totals: how many deals and what amount per stage, with the list's filters",
    tag: 'deals',
    access: 'deals.read',
    query: dealTotalsQuerySchema,
    response: dealTotalsSchema,
    handler: async ({ query, user, services }) => ({
      stages: await dealTotals(services.db, dealListFilter(query, user)),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/deals',
    summary: 'Create a deal (in the first open stage unless one is named)',
    tag: 'deals',
    access: 'deals.write',
    status: 201,
    body: createDealSchema,
    response: dealViewSchema,
    handler: async ({ body, user, services }) => {
      const ownerId = body.ownerId ?? user.id;
      assertMayAssign(user, ownerId);
      const pipeline = await findPipeline(services.db, body.pipelineId, { forWork: true });
      const stage = body.stageId ? stageOf(pipeline, body.stageId) : firstOpenStage(pipeline);
      if (stage.kind !== 'open') throw badRequest(errorTexts.say('dealStartsOpen'));
      await validateCustomFields(services.db, 'deal', body.customFields);
      const { deal } = await insertDeal(services.db, {
        ...body,
        customFields: withoutNulls(body.customFields),
        pipeline,
        stage,
        ownerId,
        createdBy: actorOf(user),
        now: new Date(),
      });
      return publishDealChange(services, { by: user, action: 'deal.create', after: deal });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/deals/:id',
    summary: 'One deal with its stage history and links',
    tag: 'deals',
    access: 'deals.read',
    params: dealIdParamsSchema,
    response: dealViewSchema,
    handler: async ({ params, user, services }) => {
      const Deal = await dealModel(services.db);
      const deal = await Deal.findOne({ ...dealScope(user), _id: params.id }).lean<DealRecord>();
      if (!deal) throw notFound('Deal');
      return toDealView(deal);
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/deals/:id',
    summary: 'Change title, amount, owner, contact, company or custom fields',
    tag: 'deals',
    access: 'deals.write',
    params: dealIdParamsSchema,
    body: updateDealSchema,
    response: dealViewSchema,
    handler: async ({ params, body, user, services }) => {
      if (body.customFields) await validateCustomFields(services.db, 'deal', body.customFields);
      let before: DealRecord | undefined;
      const after = await changeDeal(services.db, { ...dealScope(user), _id: params.id }, (deal) => {
        before = deal;
        if (body.ownerId) assertMayAssign(user, body.ownerId, String(deal.ownerId));
        const { customFields, contactId, companyId, ...plain } = body;
        const $set: Record<string, unknown> = { ...plain };
        const $unset: Record<string, ''> = {};
        if (contactId === null) $unset.contactId = '';
        else if (contactId) $set.contactId = contactId;
        if (companyId === null) $unset.companyId = '';
        else if (companyId) $set.companyId = companyId;
        if (customFields) {
          $set.customFields = withoutNulls({ ...deal.customFields, ...customFields });
        }
        return { $set, $unset };
      });
      return publishDealChange(services, { by: user, action: 'deal.update', ...(before ? { before } : {}), after });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/deals/:id/move',
    summary: 'Move a deal to a stage (of its own or another pipeline), recording who moved it and when',
    tag: 'deals',
    access: 'deals.write',
    params: dealIdParamsSchema,
    body: moveDealSchema,
    response: dealViewSchema,
    handler: async ({ params, body, user, services }) => {
      const filter = { ...dealScope(user), _id: params.id };
      const deal = await moveDeal(services.db, filter, { type: 'stage', ...body }, actorOf(user));
      return publishDealChange(services, { by: user, action: 'deal.move', after: deal, moved: true, meta: body });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/deals/:id/won',
    summary: "Close a deal as won (moves it to its pipeline's won stage)",
    tag: 'deals',
    access: 'deals.write',
    params: dealIdParamsSchema,
    response: dealViewSchema,
    handler: async ({ params, user, services }) => {
      const deal = await moveDeal(services.db, { ...dealScope(user), _id: params.id }, { type: 'won' }, actorOf(user));
      return publishDealChange(services, { by: user, action: 'deal.won', after: deal, moved: true });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/deals/:id/lost',
    summary: "Close a deal as lost with a reason (moves it to its pipeline's lost stage)",
    tag: 'deals',
    access: 'deals.write',
    params: dealIdParamsSchema,
    body: loseDealSchema,
    response: dealViewSchema,
    handler: async ({ params, body, user, services }) => {
      const filter = { ...dealScope(user), _id: params.id };
      const deal = await moveDeal(services.db, filter, { type: 'lost', reason: body.reason }, actorOf(user));
      return publishDealChange(services, { by: user, action: 'deal.lost', after: deal, moved: true, meta: body });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/deals/:id/copy',
    summary: 'Copy a deal into another pipeline, linked both ways; repeating it returns the same copy',
    tag: 'deals',
    access: 'deals.write',
    status: 201,
    params: dealIdParamsSchema,
    body: copyDealSchema,
    response: z.object({ copy: dealViewSchema, source: dealViewSchema }),
    handler: async ({ params, body, user, services }) => {
      const filter = { ...dealScope(user), _id: params.id };
      const { copy, source, created } = await copyDeal(services.db, filter, body, actorOf(user));
      if (!created) return { copy: toDealView(copy), source: toDealView(source) };
      return publishDealCopy(services, user, copy, source);
    },
  }),
];
