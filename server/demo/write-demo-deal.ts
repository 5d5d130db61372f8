import { recordAudit } from '../audit/record-audit.js';
import type { Actor } from '../deals/actor-schema.js';
import { changeDeal } from '../deals/change-deal.js';
import { dealModel, type DealRecord } from '../deals/deal-model.js';
import { insertDeal } from '../deals/insert-deal.js';
import { stageChange } from '../deals/stage-change.js';
import { toDealView } from '../deals/to-deal-view.js';
import { stageOf } from '../pipelines/pipeline-stages.js';
import type { DemoWriteContext } from './demo-write-context.js';

export interface DemoDealInput {
  title: string;
  amount: number;
  ownerId: string;
  contactId?: string;
  companyId?: string;
  /** Pipeline systemKey and stage id of each stay, with when it began; the last is where the deal is. */
  steps: { pipeline: string; stage: string; at: Date }[];
  lostReason?: string;
}

/**
 * Writes one demo deal through the deals domain: inserted in its first stage at that stage's
 * time, then moved stage by stage with `stageChange`, so its history has the gaps between moves
 * that time-per-stage reports read. Audited as written by the system (the seed).
 */
export async function writeDemoDeal(context: DemoWriteContext, input: DemoDealInput): Promise<DealRecord> {
  const { db, pipelines } = context;
  const Deal = await dealModel(db);
  const actor: Actor = { kind: 'user', id: input.ownerId };
  const place = (step: DemoDealInput['steps'][number]) => {
    const pipeline = pipelines[step.pipeline];
    if (!pipeline) throw new Error(`The demo refers to a pipeline "${step.pipeline}" that does not exist`);
    return { pipeline, stage: stageOf(pipeline, step.stage) };
  };
  const [first, ...moves] = input.steps;
  if (!first) throw new Error(`The demo deal "${input.title}" has no stage`);
  let { deal } = await insertDeal(db, {
    title: input.title,
    ...place(first),
    amount: input.amount,
    currency: 'RUB',
    ownerId: input.ownerId,
    ...(input.contactId ? { contactId: input.contactId } : {}),
    ...(input.companyId ? { companyId: input.companyId } : {}),
    customFields: {},
    createdBy: actor,
    now: first.at,
  });
  // The deal came in when its history starts, not when the seed ran: reports count deals by
  // creation month. Mongoose keeps `createdAt` immutable, so the driver's collection sets it.
  await Deal.collection.updateOne({ _id: deal._id }, { $set: { createdAt: first.at } });
  deal = { ...deal, createdAt: first.at };
  for (const step of moves) {
    const target = place(step);
    const lostReason = target.stage.kind === 'lost' ? input.lostReason : undefined;
    deal = await changeDeal(db, { _id: deal._id }, (current) =>
      stageChange(current, { ...target, actor, now: step.at, ...(lostReason ? { lostReason } : {}) }),
    );
  }
  await recordAudit(context, {
    actor: null,
    action: 'deal.create',
    entity: 'deal',
    entityId: String(deal._id),
    after: toDealView(deal),
    meta: { via: 'demo-seed' },
  });
  return deal;
}
