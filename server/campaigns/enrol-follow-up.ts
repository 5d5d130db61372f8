import type { DomainFlowEvent } from '../../flows/index.js';
import { enqueueFlowEvent } from '../flows/flow-jobs.js';
import type { QueueRegistry } from '../queues/queue-registry.js';
import type { FollowUpCampaignRecord } from './follow-up-campaign-model.js';

type Subject = DomainFlowEvent['subject'];

/**
 * The id of the manual event that enrols a subject: the same for the same campaign and contact
 * (or deal), however often the campaign is started again. The executor derives the run's id from
 * the flow and this id and starts a run only when none has it, and BullMQ absorbs a repeated job
 * id, so nobody is enrolled twice by one campaign.
 */
export function enrolmentEventId(campaignId: string, subject: Subject): string {
  return subject.dealId
    ? `campaign-${campaignId}-deal-${subject.dealId}`
    : `campaign-${campaignId}-contact-${subject.contactId}`;
}

/**
 * Hands the flow engine one manual event per subject: its own start path, with the campaign's id.
 * The job is named after the event and the start it belongs to: within one start a repeat is
 * absorbed by the queue; a later start hands it again (the worker drops the events of a stopped
 * campaign, so the subjects they did not reach get their turn), and the executor still starts at
 * most one run per event id.
 */
export async function enrolFollowUp(
  queues: QueueRegistry,
  campaign: Pick<FollowUpCampaignRecord, '_id' | 'flowId' | 'createdById' | 'starts'>,
  subjects: Subject[],
): Promise<void> {
  const campaignId = campaign._id.toHexString();
  await Promise.all(
    subjects.map((subject) => {
      const id = enrolmentEventId(campaignId, subject);
      const event = {
        id,
        type: 'manual' as const,
        flowId: campaign.flowId,
        by: campaign.createdById.toHexString(),
        campaignId,
        subject,
      };
      return enqueueFlowEvent(queues, event, `${id}-start${campaign.starts ?? 1}`);
    }),
  );
}
