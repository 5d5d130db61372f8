import type { EffectOf } from '../../flows/index.js';
import type { ApiServices } from '../api/api-services.js';
import type { Actor } from '../deals/actor-schema.js';
import { dealModel, type DealRecord } from '../deals/deal-model.js';
import { moveDeal, type MoveTarget } from '../deals/move-deal.js';
import { publishDealChange } from '../deals/publish-deal-change.js';
import { pipelineModel, type PipelineRecord } from '../pipelines/pipeline-model.js';
import type { EffectOutcome } from './perform-flow-effect.js';
import { enqueueFlowEvent } from './flow-jobs.js';
import type { FlowRunRecord } from './flow-run-model.js';
import { stageFlowEvents } from './stage-flow-events.js';
import { skip, skipIfRefused, type SkipReason } from './skip-reasons.js';

const AUDIT_ACTIONS = { moveStage: 'deal.move', markWon: 'deal.won', markLost: 'deal.lost' } as const;

/**
 * A flow's stage move (won and lost too) takes a person's path: moveDeal, then the audit entry and
 * `deal.stageChanged` (the boards, the contact's timeline), the flow named as the mover. The stage
 * events for the flows are also queued here, before the effect is ticked off, so a crash cannot
 * lose them; they carry the visit's ids, the same the listener of `deal.stageChanged` gives them.
 */
export async function moveFlowDeal(
  services: ApiServices,
  run: FlowRunRecord,
  effect: EffectOf<'moveStage' | 'markWon' | 'markLost'>,
  actor: Actor,
): Promise<EffectOutcome> {
  const before = await (await dealModel(services.db)).findById(effect.dealId).lean<DealRecord>();
  if (!before) return skip('dealGone');
  const target = await targetOf(services, effect);
  if ('skipped' in target) return target;
  let after: DealRecord;
  try {
    after = await moveDeal(services.db, { _id: effect.dealId }, target, actor);
  } catch (error) {
    return skipIfRefused(error);
  }
  // Unchanged: already there. Told again only when this flow made the last move (a retry after a crash).
  const changed = after.revision !== before.revision || after.stageHistory.at(-1)?.movedBy.id === actor.id;
  if (!changed) return undefined;
  const deal = await publishDealChange(services, {
    by: null,
    action: AUDIT_ACTIONS[effect.type],
    after,
    moved: true,
    meta: { flowId: run.flowId, flowName: actor.name },
  });
  for (const event of await stageFlowEvents(services.db, deal)) await enqueueFlowEvent(services.queues, event);
  return undefined;
}

async function targetOf(
  services: ApiServices,
  effect: EffectOf<'moveStage' | 'markWon' | 'markLost'>,
): Promise<MoveTarget | { skipped: SkipReason }> {
  switch (effect.type) {
    case 'markWon':
      return { type: 'won' };
    case 'markLost':
      return { type: 'lost', reason: effect.reasonName.ru };
    case 'moveStage': {
      if (!effect.pipeline) return { type: 'stage', stageId: effect.stage };
      const pipeline = await (
        await pipelineModel(services.db)
      )
        .findOne({ systemKey: effect.pipeline })
        .lean<PipelineRecord>();
      if (!pipeline) return skip('noPipeline', { pipeline: effect.pipeline });
      return { type: 'stage', stageId: effect.stage, pipelineId: String(pipeline._id) };
    }
  }
}
