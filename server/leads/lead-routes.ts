import type { Connection, Types } from 'mongoose';
import { conflict } from '../api/api-error.js';
import { defineRoute } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { actorOf } from '../deals/actor-schema.js';
import { changeDeal } from '../deals/change-deal.js';
import { dealViewSchema } from '../deals/deal-schema.js';
import { dealScope } from '../deals/deal-scope.js';
import { recordDealChange } from '../deals/record-deal-change.js';
import { stageChange } from '../deals/stage-change.js';
import { toDealView } from '../deals/to-deal-view.js';
import { findPipeline } from '../pipelines/find-pipeline.js';
import type { PipelineRecord } from '../pipelines/pipeline-model.js';
import { closingStage } from '../pipelines/pipeline-stages.js';
import { acceptPartnerLead } from './accept-partner-lead.js';
import { convertLead } from './convert-lead.js';
import { partnerLeadResponseSchema, partnerLeadSchema } from './inbound-lead-schema.js';
import { conversionViewSchema, convertLeadSchema, leadIdParamsSchema, unqualifyLeadSchema } from './lead-schema.js';

const { say } = errorTexts;

async function leadsPipelineOf(db: Connection, pipelineId: Types.ObjectId): Promise<PipelineRecord> {
  const pipeline = await findPipeline(db, String(pipelineId));
  if (pipeline.kind !== 'leads') throw conflict(say('notLeadsPipeline'));
  return pipeline;
}

export const leadRoutes = [
  defineRoute({
    method: 'post',
    path: '/leads',
    summary:
      'Hand in a lead from a partner platform or an exhibition app: contact (found by phone or e-mail), deal, timeline entry; Idempotency-Key makes retries safe',
    tag: 'leads',
    access: 'leads.create',
    status: 201,
    body: partnerLeadSchema,
    response: partnerLeadResponseSchema,
    handler: async ({ body, user, services, req, res }) => {
      await acceptPartnerLead(services, user, body, req.get('idempotency-key'), res);
      return undefined;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/leads/:id/qualify',
    summary: "Mark a lead as qualified (its pipeline's last open stage)",
    tag: 'leads',
    access: 'deals.write',
    params: leadIdParamsSchema,
    response: dealViewSchema,
    handler: async ({ params, user, services }) => {
      const lead = await changeDeal(services.db, { ...dealScope(user), _id: params.id }, async (current) => {
        const pipeline = await leadsPipelineOf(services.db, current.pipelineId);
        if (current.status !== 'open')
          throw conflict(say(current.status === 'won' ? 'leadClosedWon' : 'leadClosedLost'));
        // The open stages of a leads pipeline are steps of qualification: the last one means "qualified".
        const qualified = pipeline.stages.filter((stage) => stage.kind === 'open').at(-1)!;
        return stageChange(current, { pipeline, stage: qualified, actor: actorOf(user), now: new Date() });
      });
      await recordDealChange(services, user, 'lead.qualify', undefined, lead);
      return toDealView(lead);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/leads/:id/unqualify',
    summary: 'Close a lead as unqualified with a reason',
    tag: 'leads',
    access: 'deals.write',
    params: leadIdParamsSchema,
    body: unqualifyLeadSchema,
    response: dealViewSchema,
    handler: async ({ params, body, user, services }) => {
      const lead = await changeDeal(services.db, { ...dealScope(user), _id: params.id }, async (current) => {
        const pipeline = await leadsPipelineOf(services.db, current.pipelineId);
        if (current.status === 'won') throw conflict(say('leadConverted'));
        const stage = closingStage(pipeline, 'lost');
        return stageChange(current, {
          pipeline,
          stage,
          actor: actorOf(user),
          now: new Date(),
          lostReason: body.reason,
        });
      });
      await recordDealChange(services, user, 'lead.unqualify', undefined, lead, body);
      return toDealView(lead);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/leads/:id/convert',
    summary: 'Convert a lead: find or create the contact (and company), create the deal, close the lead; safe to retry',
    tag: 'leads',
    access: 'leads.convert',
    params: leadIdParamsSchema,
    body: convertLeadSchema,
    response: conversionViewSchema,
    handler: async ({ params, body, user, services }) => convertLead(services, user, params.id, body),
  }),
];
