import { Types, type Connection } from 'mongoose';
import { followUpCampaignModel } from './follow-up-campaign-model.js';

/**
 * Whether a follow-up campaign still enrols: the flow worker asks before it applies a campaign's
 * manual event, so the events still queued when the campaign was stopped start nobody.
 */
export async function followUpRunning(db: Connection, campaignId: string): Promise<boolean> {
  if (!Types.ObjectId.isValid(campaignId)) return false;
  const Campaign = await followUpCampaignModel(db);
  return Boolean(await Campaign.exists({ _id: new Types.ObjectId(campaignId), status: 'running' }));
}
