import type { Connection, QueryFilter } from 'mongoose';
import { conflict } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { findPipeline } from '../pipelines/find-pipeline.js';
import { closingStage, stageOf } from '../pipelines/pipeline-stages.js';
import type { Actor } from './actor-schema.js';
import { changeDeal } from './change-deal.js';
import type { DealRecord } from './deal-model.js';
import { stageChange } from './stage-change.js';

export type MoveTarget =
  { type: 'stage'; stageId: string; pipelineId?: string } | { type: 'won' } | { type: 'lost'; reason: string };

const CONVERT_ONLY = errorTexts.say('convertOnly');

/**
 * Moves a deal (found within the caller's scope) to a stage, or closes it as won or lost, keeping
 * the stage history. Crossing pipelines is allowed (deferred demand goes back to sales), except in
 * and out of a leads pipeline: that is what conversion is for, and it links the contact and deal.
 */
export async function moveDeal(
  db: Connection,
  filter: QueryFilter<DealRecord>,
  target: MoveTarget,
  actor: Actor,
): Promise<DealRecord> {
  return changeDeal(db, filter, async (deal) => {
    const current = await findPipeline(db, String(deal.pipelineId));
    const crossing =
      target.type === 'stage' && target.pipelineId !== undefined && target.pipelineId !== String(deal.pipelineId);
    const pipeline = crossing ? await findPipeline(db, target.pipelineId!, { forWork: true }) : current;
    if (crossing && (current.kind === 'leads' || pipeline.kind === 'leads')) throw conflict(CONVERT_ONLY);
    const stage = target.type === 'stage' ? stageOf(pipeline, target.stageId) : closingStage(pipeline, target.type);
    if (pipeline.kind === 'leads' && stage.kind === 'won' && deal.stageId !== stage.id) throw conflict(CONVERT_ONLY);
    return stageChange(deal, {
      pipeline,
      stage,
      actor,
      now: new Date(),
      ...(target.type === 'lost' ? { lostReason: target.reason } : {}),
    });
  });
}
