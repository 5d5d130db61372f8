import type { Connection } from 'mongoose';
import { flowRunModel } from '../flows/flow-run-model.js';

/**
 * A contact wrote in: each follow-up campaign run of theirs that has no reply yet gets one now.
 * The runs exist only from enrolment on, so this counts replies after enrolment; the results then
 * count `repliedAt` in one aggregation instead of matching messages to runs.
 */
export async function markFollowUpReplies(db: Connection, contactId: string, at: Date): Promise<void> {
  const Run = await flowRunModel(db);
  await Run.updateMany(
    { contactId, campaignId: { $type: 'string' }, repliedAt: { $exists: false } },
    { $set: { repliedAt: at } },
  );
}
