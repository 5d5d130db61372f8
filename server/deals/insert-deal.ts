import type { Connection, QueryFilter, Types } from 'mongoose';
import type { PipelineRecord } from '../pipelines/pipeline-model.js';
import type { Stage } from '../pipelines/pipeline-schema.js';
import type { Actor } from './actor-schema.js';
import { dealModel, type DealRecord } from './deal-model.js';

export interface NewDeal {
  title: string;
  pipeline: PipelineRecord;
  stage: Stage;
  amount: number;
  currency: string;
  ownerId: string | Types.ObjectId;
  contactId?: string | Types.ObjectId;
  companyId?: string | Types.ObjectId;
  customFields: Record<string, unknown>;
  createdBy: Actor;
  now: Date;
  /** The lead this deal was converted from: at most one deal per lead. */
  sourceLeadId?: Types.ObjectId;
  /** The deal this one copies: at most one copy per source and target pipeline. */
  copiedFrom?: { dealId: Types.ObjectId; pipelineId: Types.ObjectId };
  /** The imported row this deal stands for: at most one deal per import key. */
  importKey?: string;
  /** The web form or partner lead this deal stands for: at most one deal per lead. */
  inboundLeadId?: Types.ObjectId;
  source?: string;
  partner?: string;
}

/** The unique key that makes inserting this deal idempotent, when it has one. */
function dealKey(input: NewDeal): QueryFilter<DealRecord> | undefined {
  if (input.sourceLeadId) return { sourceLeadId: input.sourceLeadId };
  if (input.copiedFrom) {
    return { 'copiedFrom.dealId': input.copiedFrom.dealId, 'copiedFrom.pipelineId': input.copiedFrom.pipelineId };
  }
  if (input.importKey) return { importKey: input.importKey };
  if (input.inboundLeadId) return { inboundLeadId: input.inboundLeadId };
  return undefined;
}

/**
 * Inserts a deal with its first history entry. A deal keyed by a lead, a copy source or an import row is
 * inserted at most once: when the unique index says it exists, the existing one is returned
 * (`created: false`), which is what makes conversion and copying safe to retry.
 */
export async function insertDeal(db: Connection, input: NewDeal): Promise<{ deal: DealRecord; created: boolean }> {
  const Deal = await dealModel(db);
  const { pipeline, stage, now } = input;
  const document = {
    title: input.title,
    pipelineId: pipeline._id,
    stageId: stage.id,
    amount: input.amount,
    currency: input.currency,
    ownerId: input.ownerId,
    contactId: input.contactId,
    companyId: input.companyId,
    customFields: input.customFields,
    status: stage.kind,
    ...(stage.kind === 'open' ? {} : { closedAt: now }),
    stageHistory: [{ pipelineId: pipeline._id, stageId: stage.id, enteredAt: now, movedBy: input.createdBy }],
    copies: [],
    sourceLeadId: input.sourceLeadId,
    copiedFrom: input.copiedFrom,
    importKey: input.importKey,
    inboundLeadId: input.inboundLeadId,
    source: input.source,
    partner: input.partner,
    createdBy: input.createdBy,
  };
  const key = dealKey(input);
  if (key) {
    const existing = await Deal.findOne(key).lean<DealRecord>();
    if (existing) return { deal: existing, created: false };
  }
  try {
    const created = await Deal.create(document);
    return { deal: created.toObject<DealRecord>(), created: true };
  } catch (error) {
    const existing =
      key && (error as { code?: number }).code === 11000 ? await Deal.findOne(key).lean<DealRecord>() : null;
    if (existing) return { deal: existing, created: false };
    throw error;
  }
}
