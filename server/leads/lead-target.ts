import type { Connection } from 'mongoose';
import { badRequest } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { findPipeline } from '../pipelines/find-pipeline.js';
import { pipelineModel, type PipelineRecord } from '../pipelines/pipeline-model.js';
import type { Stage } from '../pipelines/pipeline-schema.js';
import { firstOpenStage, stageOf } from '../pipelines/pipeline-stages.js';

const { say } = errorTexts;

export interface LeadTarget {
  pipeline: PipelineRecord;
  stage: Stage;
}

/** The leads pipeline the product ships, else the oldest active leads pipeline. */
export async function defaultLeadPipeline(db: Connection): Promise<PipelineRecord | undefined> {
  const Pipeline = await pipelineModel(db);
  const shipped = await Pipeline.findOne({ systemKey: 'leads', archived: false }).lean<PipelineRecord>();
  return (
    shipped ??
    (await Pipeline.findOne({ kind: 'leads', archived: false }).sort({ _id: 1 }).lean<PipelineRecord>()) ??
    undefined
  );
}

/**
 * Where a new inbound lead's deal starts: the named pipeline (404 unknown, 409 archived) and
 * stage (400 unknown or closed), else the default leads pipeline's first open stage.
 */
export async function leadTarget(
  db: Connection,
  wanted: { pipelineId?: string; stageId?: string },
): Promise<LeadTarget> {
  if (!wanted.pipelineId) {
    if (wanted.stageId) throw badRequest(say('stageNeedsPipeline'));
    const pipeline = await defaultLeadPipeline(db);
    if (!pipeline) throw badRequest(say('noLeadsPipeline'));
    return { pipeline, stage: firstOpenStage(pipeline) };
  }
  const pipeline = await findPipeline(db, wanted.pipelineId, { forWork: true });
  const stage = wanted.stageId ? stageOf(pipeline, wanted.stageId) : firstOpenStage(pipeline);
  if (stage.kind !== 'open') throw badRequest(say('newDealOpenStage'));
  return { pipeline, stage };
}
