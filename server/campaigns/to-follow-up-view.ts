import type { Connection } from 'mongoose';
import { pipelineModel, type PipelineRecord } from '../pipelines/pipeline-model.js';
import { segmentModel } from '../segments/segment-model.js';
import type { FollowUpCampaignRecord } from './follow-up-campaign-model.js';
import { followUpFlowOf } from './follow-up-flows.js';
import { followUpResults } from './follow-up-results.js';
import type { FollowUpView } from './follow-up-schemas.js';

async function sourceView(db: Connection, source: FollowUpCampaignRecord['source']): Promise<FollowUpView['source']> {
  switch (source.kind) {
    case 'segment': {
      const segment = await segmentModel(db).findById(source.segmentId).select({ name: 1 }).lean();
      return {
        kind: 'segment',
        segmentId: source.segmentId.toHexString(),
        ...(segment ? { segmentName: segment.name } : {}),
      };
    }
    case 'stage': {
      const pipeline = await (await pipelineModel(db)).findById(source.pipelineId).lean<PipelineRecord>();
      const stage = pipeline?.stages.find((candidate) => candidate.id === source.stageId);
      return {
        kind: 'stage',
        pipelineId: source.pipelineId.toHexString(),
        stageId: source.stageId,
        ...(pipeline ? { pipelineName: pipeline.name } : {}),
        ...(stage ? { stageName: stage.name } : {}),
      };
    }
  }
}

/** A campaign as the API shows it: names of what it points to, and its results from the runs. */
export async function toFollowUpView(db: Connection, campaign: FollowUpCampaignRecord): Promise<FollowUpView> {
  const id = campaign._id.toHexString();
  const flow = await followUpFlowOf(db, campaign.flowId);
  return {
    id,
    name: campaign.name,
    flowId: campaign.flowId,
    ...(flow ? { flow } : {}),
    source: await sourceView(db, campaign.source),
    status: campaign.status,
    ...(campaign.cost ? { cost: campaign.cost } : {}),
    createdById: campaign.createdById.toHexString(),
    startedAt: campaign.startedAt.toISOString(),
    ...(campaign.stoppedAt ? { stoppedAt: campaign.stoppedAt.toISOString() } : {}),
    createdAt: campaign.createdAt.toISOString(),
    results: await followUpResults(db, id),
  };
}
