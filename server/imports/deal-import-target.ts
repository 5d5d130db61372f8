import type { Connection } from 'mongoose';
import { badRequest } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { pipelineModel, type PipelineRecord } from '../pipelines/pipeline-model.js';
import type { Stage } from '../pipelines/pipeline-schema.js';
import { firstOpenStage, stageOf } from '../pipelines/pipeline-stages.js';

const { say, sayWith } = errorTexts;

export interface DealImportTarget {
  pipeline: PipelineRecord;
  stage: Stage;
}

/**
 * Where an import puts its deals, checked before anything is written. A pipeline that is not
 * there or archived is a 400 (not 404): it is a field of the request, like a misspelt column,
 * and the whole import is refused. The stage must be open, as for POST /deals: a deal is closed
 * through won/lost, which record why.
 */
export async function dealImportTarget(
  db: Connection,
  request: { pipelineId: string; stageId?: string | undefined },
): Promise<DealImportTarget> {
  const Pipeline = await pipelineModel(db);
  const pipeline = await Pipeline.findById(request.pipelineId).lean<PipelineRecord>();
  if (!pipeline) {
    throw badRequest(say('noSuchPipeline'), { pipelineId: request.pipelineId });
  }
  if (pipeline.archived) {
    throw badRequest(sayWith('pipelineArchived', { pipeline: pipeline.name }), {
      pipelineId: request.pipelineId,
    });
  }
  const stage = request.stageId ? stageOf(pipeline, request.stageId) : firstOpenStage(pipeline);
  if (stage.kind !== 'open') {
    throw badRequest(say('importOpenStage'), {
      stageId: stage.id,
    });
  }
  return { pipeline, stage };
}
