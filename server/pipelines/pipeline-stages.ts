import { badRequest, conflict } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import type { PipelineRecord } from './pipeline-model.js';
import type { Stage } from './pipeline-schema.js';

const { sayWith } = errorTexts;

/** The stage with this id in the pipeline; a 400 naming the pipeline when it has none. */
export function stageOf(pipeline: PipelineRecord, stageId: string): Stage {
  const stage = pipeline.stages.find((candidate) => candidate.id === stageId);
  if (!stage) throw badRequest(sayWith('noSuchStage', { pipeline: pipeline.name, stage: stageId }), { stageId });
  return stage;
}

/** Where new deals start when no stage is named. */
export function firstOpenStage(pipeline: PipelineRecord): Stage {
  const stage = pipeline.stages.find((candidate) => candidate.kind === 'open');
  if (!stage) throw conflict(sayWith('noOpenStage', { pipeline: pipeline.name }));
  return stage;
}

/** The won or lost stage: every pipeline has exactly one of each (the stages schema demands it). */
export function closingStage(pipeline: PipelineRecord, kind: 'won' | 'lost'): Stage {
  const stage = pipeline.stages.find((candidate) => candidate.kind === kind);
  if (!stage) throw conflict(sayWith(kind === 'won' ? 'noWonStage' : 'noLostStage', { pipeline: pipeline.name }));
  return stage;
}
