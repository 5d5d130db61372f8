import type { ApiServices } from '../api/api-services.js';
import { ApiError } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import type { Types } from 'mongoose';
import { dealModel, type DealRecord } from '../deals/deal-model.js';
import { segmentAudience } from '../segments/segment-audience.js';
import { segmentModel, type SegmentRecord } from '../segments/segment-model.js';
import { enrolFollowUp } from './enrol-follow-up.js';
import { followUpCampaignModel, type FollowUpCampaignRecord } from './follow-up-campaign-model.js';

const BATCH = 500;

type Services = Pick<ApiServices, 'db' | 'queues'>;

/** Whether the campaign is still running (a stop in the middle of enrolment ends it). */
async function stillRunning(services: Services, campaign: FollowUpCampaignRecord): Promise<boolean> {
  const Campaign = await followUpCampaignModel(services.db);
  return Boolean(await Campaign.exists({ _id: campaign._id, status: 'running' }));
}

/**
 * Enrols everyone the campaign's source holds now: each contact of the segment, or each deal in
 * the stage (deals entering it later are enrolled by enrolStageEntry). Batch by batch in `_id`
 * order, so an audience of any size is never held in memory; repeating it enrols nobody twice.
 * Answers how many subjects were handed to the flow engine.
 */
export async function enrolFollowUpSource(services: Services, campaign: FollowUpCampaignRecord): Promise<number> {
  let handed = 0;
  const { source } = campaign;
  switch (source.kind) {
    case 'segment': {
      const segment = await segmentModel(services.db)
        .findOne({ _id: source.segmentId, deletedAt: { $exists: false } })
        .lean<SegmentRecord>();
      if (!segment) throw new ApiError(422, 'segment_not_found', errorTexts.say('noSuchSegment'));
      for await (const batch of segmentAudience(services.db, segment, BATCH)) {
        if (!(await stillRunning(services, campaign))) break;
        await enrolFollowUp(
          services.queues,
          campaign,
          batch.map((contact) => ({ contactId: contact._id.toHexString() })),
        );
        handed += batch.length;
      }
      return handed;
    }
    case 'stage': {
      const Deal = await dealModel(services.db);
      let after: Types.ObjectId | undefined;
      for (;;) {
        const deals = await Deal.find({
          pipelineId: source.pipelineId,
          stageId: source.stageId,
          contactId: { $exists: true },
          ...(after ? { _id: { $gt: after } } : {}),
        })
          .sort({ _id: 1 })
          .limit(BATCH)
          .select({ _id: 1, contactId: 1 })
          .lean<Pick<DealRecord, '_id' | 'contactId'>[]>();
        if (deals.length === 0 || !(await stillRunning(services, campaign))) return handed;
        await enrolFollowUp(
          services.queues,
          campaign,
          deals.flatMap((deal) =>
            deal.contactId ? [{ contactId: String(deal.contactId), dealId: String(deal._id) }] : [],
          ),
        );
        handed += deals.length;
        after = deals.at(-1)?._id;
      }
    }
  }
}
