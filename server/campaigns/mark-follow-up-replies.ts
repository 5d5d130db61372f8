import type { Connection } from 'mongoose';
import { flowRunModel } from '../flows/flow-run-model.js';

/**
 * Contacts wrote in: each follow-up campaign run of theirs that has no reply yet gets one now, at
 * the contact's earliest message of these. The runs exist only from enrolment on, so this counts
 * replies after enrolment; the results then count `repliedAt` in one aggregation instead of
 * matching messages to runs. One round trip for a whole batch of messages.
 */
export async function markFollowUpReplies(db: Connection, replies: { contactId: string; at: Date }[]): Promise<void> {
  const earliest = new Map<string, Date>();
  for (const { contactId, at } of replies) {
    const known = earliest.get(contactId);
    if (!known || at < known) earliest.set(contactId, at);
  }
  if (earliest.size === 0) return;
  const Run = await flowRunModel(db);
  await Run.bulkWrite(
    [...earliest].map(([contactId, at]) => ({
      updateMany: {
        filter: { contactId, campaignId: { $type: 'string' }, repliedAt: { $exists: false } },
        update: { $set: { repliedAt: at } },
      },
    })),
    { ordered: false },
  );
}
