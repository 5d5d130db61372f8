import { Types } from 'mongoose';
import { z } from 'zod';
import { ApiError, notFound } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { recordAudit } from '../audit/record-audit.js';
import { pipelineModel, type PipelineRecord } from '../pipelines/pipeline-model.js';
import { segmentModel } from '../segments/segment-model.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { enrolFollowUpSource } from './enrol-follow-up-source.js';
import { followUpCampaignModel, type FollowUpCampaignRecord, type FollowUpSource } from './follow-up-campaign-model.js';
import { followUpFlows, usableFollowUpFlow } from './follow-up-flows.js';
import {
  followUpFlowSchema,
  followUpInputSchema,
  followUpViewSchema,
  type FollowUpInput,
} from './follow-up-schemas.js';
import { stopFollowUpRuns } from './stop-follow-up-runs.js';
import { toFollowUpView } from './to-follow-up-view.js';

const { say, sayWith } = errorTexts;

const TAG = 'campaigns';
const ACCESS = 'campaigns.manage';
const BASE = '/campaigns/follow-ups';
const idParams = z.strictObject({ id: objectIdSchema });
const LISTED = 100;

async function findCampaign(services: Pick<ApiServices, 'db'>, id: string): Promise<FollowUpCampaignRecord> {
  const Campaign = await followUpCampaignModel(services.db);
  const found = await Campaign.findById(id).lean<FollowUpCampaignRecord>();
  if (!found) throw notFound('Follow-up campaign');
  return found;
}

/** The stored source after checking that what it names exists and fits the flow. */
async function storedSource(
  services: Pick<ApiServices, 'db'>,
  input: FollowUpInput,
  runsPer: 'contact' | 'deal',
): Promise<FollowUpSource> {
  const { source } = input;
  switch (source.kind) {
    case 'segment': {
      if (runsPer === 'deal')
        throw new ApiError(422, 'flow_runs_per_deal', sayWith('flowPerDeal', { flow: input.flowId }));
      const exists = await segmentModel(services.db).exists({ _id: source.segmentId, deletedAt: { $exists: false } });
      if (!exists) throw new ApiError(422, 'segment_not_found', say('noSuchSegment'));
      return { kind: 'segment', segmentId: new Types.ObjectId(source.segmentId) };
    }
    case 'stage': {
      const pipeline = await (await pipelineModel(services.db)).findById(source.pipelineId).lean<PipelineRecord>();
      if (!pipeline?.stages.some((stage) => stage.id === source.stageId))
        throw new ApiError(422, 'stage_not_found', say('noSuchStageThere'));
      return { kind: 'stage', pipelineId: new Types.ObjectId(source.pipelineId), stageId: source.stageId };
    }
  }
}

/** Follow-up campaigns: a flow with a manual trigger run for a segment or a funnel stage. */
export const followUpRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: `${BASE}/flows`,
    summary: 'The flows a follow-up campaign can run (enabled, with a manual trigger)',
    tag: TAG,
    access: ACCESS,
    response: z.object({ items: z.array(followUpFlowSchema) }),
    async handler({ services }) {
      return { items: await followUpFlows(services.db) };
    },
  }),
  defineRoute({
    method: 'get',
    path: BASE,
    summary: 'Follow-up campaigns with their results, newest first',
    tag: TAG,
    access: ACCESS,
    response: z.object({ items: z.array(followUpViewSchema) }),
    async handler({ services }) {
      const Campaign = await followUpCampaignModel(services.db);
      const rows = await Campaign.find({}).sort({ createdAt: -1 }).limit(LISTED).lean<FollowUpCampaignRecord[]>();
      return { items: await Promise.all(rows.map((row) => toFollowUpView(services.db, row))) };
    },
  }),
  defineRoute({
    method: 'post',
    path: BASE,
    summary: 'Start a follow-up campaign: enrols the segment, or the stage now and every deal entering it',
    tag: TAG,
    access: ACCESS,
    body: followUpInputSchema,
    response: followUpViewSchema,
    status: 201,
    async handler({ body, user, services }) {
      const flow = await usableFollowUpFlow(services.db, body.flowId);
      const source = await storedSource(services, body, flow.runsPer);
      const Campaign = await followUpCampaignModel(services.db);
      const created = await Campaign.create({
        name: body.name,
        flowId: body.flowId,
        source,
        status: 'running',
        ...(body.cost ? { cost: body.cost } : {}),
        createdById: new Types.ObjectId(user.id),
        startedAt: new Date(),
        starts: 1,
      });
      const campaign = created.toObject<FollowUpCampaignRecord>();
      const enrolled = await enrolFollowUpSource(services, campaign);
      const view = await toFollowUpView(services.db, campaign);
      await recordAudit(services, {
        actor: user,
        action: 'campaign.start',
        entity: 'follow-up-campaign',
        entityId: view.id,
        after: { ...view, results: undefined },
        meta: { handedToFlows: enrolled },
      });
      return view;
    },
  }),
  defineRoute({
    method: 'get',
    path: `${BASE}/:id`,
    summary: 'A follow-up campaign with its results per goal, exit reason and split variant',
    tag: TAG,
    access: ACCESS,
    params: idParams,
    response: followUpViewSchema,
    async handler({ params, services }) {
      return toFollowUpView(services.db, await findCampaign(services, params.id));
    },
  }),
  defineRoute({
    method: 'post',
    path: `${BASE}/:id/stop`,
    summary: 'Stop a follow-up campaign: nobody more is enrolled and its running runs end',
    tag: TAG,
    access: ACCESS,
    params: idParams,
    response: followUpViewSchema,
    async handler({ params, user, services }) {
      const Campaign = await followUpCampaignModel(services.db);
      const campaign = await findCampaign(services, params.id);
      if (campaign.status === 'running')
        await Campaign.updateOne(
          { _id: campaign._id, status: 'running' },
          { $set: { status: 'stopped', stoppedAt: new Date() } },
        );
      // Also when already stopped: a stop cut short by a crash finishes on the retry (each run's job is named after it).
      const ended = await stopFollowUpRuns(services, campaign._id);
      await recordAudit(services, {
        actor: user,
        action: 'campaign.stop',
        entity: 'follow-up-campaign',
        entityId: params.id,
        meta: { runsEnded: ended },
      });
      return toFollowUpView(services.db, await findCampaign(services, params.id));
    },
  }),
  defineRoute({
    method: 'post',
    path: `${BASE}/:id/start`,
    summary: 'Start a stopped follow-up campaign again: enrols whom its source holds now, nobody twice',
    tag: TAG,
    access: ACCESS,
    params: idParams,
    response: followUpViewSchema,
    async handler({ params, user, services }) {
      const Campaign = await followUpCampaignModel(services.db);
      const campaign = await findCampaign(services, params.id);
      await usableFollowUpFlow(services.db, campaign.flowId);
      if (campaign.status === 'stopped')
        await Campaign.updateOne(
          { _id: campaign._id, status: 'stopped' },
          { $set: { status: 'running' }, $inc: { starts: 1 }, $unset: { stoppedAt: 1 } },
        );
      const running = await findCampaign(services, params.id);
      const enrolled = await enrolFollowUpSource(services, running);
      await recordAudit(services, {
        actor: user,
        action: 'campaign.start',
        entity: 'follow-up-campaign',
        entityId: params.id,
        meta: { handedToFlows: enrolled },
      });
      return toFollowUpView(services.db, running);
    },
  }),
];
