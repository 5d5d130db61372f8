import { Types, type Connection } from 'mongoose';
import { notFound } from '../api/api-error.js';
import { pipelineModel, type PipelineRecord } from '../pipelines/pipeline-model.js';
import type { Stage } from '../pipelines/pipeline-schema.js';

export interface ReportPipeline {
  pipeline: PipelineRecord;
  /** The funnel's steps: the open stages in their order, then the won stage (lost is no step). */
  steps: Stage[];
}

/**
 * The pipeline a deals report reads: the one asked for, else the sales funnel the product ships
 * (seed 001), else the first sales pipeline there is.
 */
export async function reportPipeline(db: Connection, pipelineId: string | undefined): Promise<ReportPipeline> {
  const Pipeline = await pipelineModel(db);
  const pipeline = pipelineId
    ? await Pipeline.findById(new Types.ObjectId(pipelineId)).lean()
    : ((await Pipeline.findOne({ systemKey: 'sales' }).lean()) ??
      (await Pipeline.findOne({ kind: 'sales', archived: false }).sort({ createdAt: 1 }).lean()));
  if (!pipeline) throw notFound('Pipeline');
  const ordered = [...pipeline.stages].sort((a, b) => a.order - b.order);
  const steps = [
    ...ordered.filter((stage) => stage.kind === 'open'),
    ...ordered.filter((stage) => stage.kind === 'won'),
  ];
  return { pipeline, steps };
}
