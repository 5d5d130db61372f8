import type { Pipeline } from '../crm/deal-views.js';

/**
 * A pipeline and stage as a flow names them (the pipeline's key, the stage's id) in the names the
 * workspace gave them; what no pipeline knows stays as written, so a renamed or removed stage
 * still shows something.
 */
export function stageNames(
  pipelines: readonly Pipeline[],
  pipelineKey: string,
  stageId: string,
): { pipeline: string; stage: string } {
  const pipeline = pipelines.find((candidate) => candidate.systemKey === pipelineKey || candidate.id === pipelineKey);
  const stage = pipeline?.stages.find((candidate) => candidate.id === stageId);
  return { pipeline: pipeline?.name ?? pipelineKey, stage: stage?.name ?? stageId };
}
