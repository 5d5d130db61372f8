import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { dealModel, type DealRecord } from '../deals/deal-model.js';
import type { DealView } from '../deals/deal-schema.js';
import { enrolFollowUp } from './enrol-follow-up.js';
import { followUpCampaignModel, type FollowUpCampaignRecord } from './follow-up-campaign-model.js';

/**
 * A deal entered a stage: every running follow-up campaign sourced from that stage enrols it.
 * Called where stage moves are handed to the flows (listen-for-flow-events.ts), so the manual
 * event queues behind the move's own stage events. A deal enrolled once by a campaign is not
 * enrolled again when it comes back to the stage (the event id is per campaign and deal).
 */
export async function enrolStageEntry(
  services: Pick<ApiServices, 'db' | 'queues'>,
  deal: Pick<DealView, 'id' | 'pipelineId' | 'stageId' | 'contactId'>,
): Promise<void> {
  if (!deal.contactId || !Types.ObjectId.isValid(deal.pipelineId)) return;
  const Campaign = await followUpCampaignModel(services.db);
  const campaigns = await Campaign.find({
    status: 'running',
    'source.kind': 'stage',
    'source.pipelineId': new Types.ObjectId(deal.pipelineId),
    'source.stageId': deal.stageId,
  }).lean<FollowUpCampaignRecord[]>();
  if (campaigns.length === 0) return;
  // The move may be old news by now (listeners run after the request): a deal that already left
  // the stage again was never in it while these campaigns ran, unless their start found it there.
  const Deal = await dealModel(services.db);
  const now = await Deal.findById(deal.id)
    .select({ pipelineId: 1, stageId: 1 })
    .lean<Pick<DealRecord, 'pipelineId' | 'stageId'>>();
  if (!now || String(now.pipelineId) !== deal.pipelineId || now.stageId !== deal.stageId) return;
  for (const campaign of campaigns)
    await enrolFollowUp(services.queues, campaign, [{ contactId: deal.contactId, dealId: deal.id }]);
}
