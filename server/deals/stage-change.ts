import type { PipelineRecord } from '../pipelines/pipeline-model.js';
import type { Stage } from '../pipelines/pipeline-schema.js';
import type { Actor } from './actor-schema.js';
import type { DealUpdate } from './change-deal.js';
import type { DealRecord } from './deal-model.js';

export interface StageChangeInput {
  pipeline: PipelineRecord;
  stage: Stage;
  actor: Actor;
  now: Date;
  /** Recorded when the stage is a lost one. */
  lostReason?: string;
}

/**
 * The update that puts a deal into a stage: the current history entry gets `leftAt`, a new one
 * opens, and the status follows the stage's kind (won/lost close the deal, open reopens it).
 * Nothing when the deal is already there, so a repeated move adds no history.
 */
export function stageChange(deal: DealRecord, input: StageChangeInput): DealUpdate | undefined {
  const { pipeline, stage, actor, now, lostReason } = input;
  const samePlace = String(deal.pipelineId) === String(pipeline._id) && deal.stageId === stage.id;
  if (samePlace) {
    if (stage.kind !== 'lost' || !lostReason || lostReason === deal.lostReason) return undefined;
    return { $set: { lostReason } };
  }
  const stageHistory = [
    ...deal.stageHistory.map((visit) => (visit.leftAt ? visit : { ...visit, leftAt: now })),
    { pipelineId: pipeline._id, stageId: stage.id, enteredAt: now, movedBy: actor },
  ];
  const $set: Record<string, unknown> = {
    pipelineId: pipeline._id,
    stageId: stage.id,
    status: stage.kind,
    stageHistory,
  };
  switch (stage.kind) {
    case 'open':
      return { $set, $unset: { lostReason: '', closedAt: '' } };
    case 'won':
      return { $set: { ...$set, closedAt: now }, $unset: { lostReason: '' } };
    case 'lost':
      return lostReason ? { $set: { ...$set, closedAt: now, lostReason } } : { $set: { ...$set, closedAt: now } };
  }
}
