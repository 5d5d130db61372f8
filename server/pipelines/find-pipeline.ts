import type { Connection } from 'mongoose';
import { conflict, notFound } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { pipelineModel, type PipelineRecord } from './pipeline-model.js';

/**
 * Loads a pipeline by id (404 when missing). With `forWork`, an archived pipeline is refused:
 * it stays readable for history and reports, but no deal enters it any more.
 */
export async function findPipeline(
  db: Connection,
  id: string,
  options: { forWork?: boolean } = {},
): Promise<PipelineRecord> {
  const Pipeline = await pipelineModel(db);
  const pipeline = await Pipeline.findById(id).lean<PipelineRecord>();
  if (!pipeline) throw notFound('Pipeline');
  if (options.forWork && pipeline.archived)
    throw conflict(errorTexts.sayWith('pipelineArchived', { pipeline: pipeline.name }));
  return pipeline;
}
