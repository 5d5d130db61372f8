import type { Connection, QueryFilter } from 'mongoose';
import { badRequest, notFound } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { findPipeline } from '../pipelines/find-pipeline.js';
import { firstOpenStage, stageOf } from '../pipelines/pipeline-stages.js';
import type { Actor } from './actor-schema.js';
import { dealModel, type DealRecord } from './deal-model.js';
import { insertDeal } from './insert-deal.js';

const { say } = errorTexts;

/**
 * Copies a deal into another pipeline (a sale with installments gets a copy in "installment
 * control"), linked both ways. Two ordered steps, each idempotent: the copy is inserted once per
 * source and target pipeline (unique index), then `$addToSet` links it from the source; a retry
 * after a failure between them finds the copy and finishes the link.
 */
export async function copyDeal(
  db: Connection,
  filter: QueryFilter<DealRecord>,
  target: { pipelineId: string; stageId?: string },
  actor: Actor,
): Promise<{ copy: DealRecord; source: DealRecord; created: boolean }> {
  const Deal = await dealModel(db);
  const source = await Deal.findOne(filter).lean<DealRecord>();
  if (!source) throw notFound('Deal');
  const pipeline = await findPipeline(db, target.pipelineId, { forWork: true });
  if (pipeline._id.equals(source.pipelineId)) throw badRequest(say('copyIntoOwnPipeline'));
  if (pipeline.kind === 'leads') throw badRequest(say('copyIntoLeads'));
  const stage = target.stageId ? stageOf(pipeline, target.stageId) : firstOpenStage(pipeline);
  const { deal: copy, created } = await insertDeal(db, {
    title: source.title,
    pipeline,
    stage,
    amount: source.amount,
    currency: source.currency,
    ownerId: source.ownerId,
    contactId: source.contactId,
    companyId: source.companyId,
    customFields: source.customFields,
    createdBy: actor,
    now: new Date(),
    copiedFrom: { dealId: source._id, pipelineId: pipeline._id },
  });
  const linked = await Deal.findOneAndUpdate(
    { _id: source._id },
    { $addToSet: { copies: { dealId: copy._id, pipelineId: pipeline._id } } },
    { returnDocument: 'after' },
  ).lean<DealRecord>();
  if (!linked) throw notFound('Deal');
  return { copy, source: linked, created };
}
