import type { Job } from 'bullmq';
import { Types } from 'mongoose';
import { z } from 'zod';
import type { ApiServices } from '../api/api-services.js';
import { conversationModel, type ConversationRecord } from './conversation-model.js';
import { toConversationView } from './message-views.js';

export const SNOOZE_QUEUE = 'conversation-snooze';

const snoozeJobSchema = z.strictObject({ conversationId: z.string(), until: z.iso.datetime() });
type SnoozeJob = z.infer<typeof snoozeJobSchema>;

/**
 * Wakes the conversation when its snooze ends: a delayed job, one per (conversation, end time),
 * so snoozing again adds a new job and the old one finds nothing to do.
 */
export async function scheduleSnoozeEnd(
  services: Pick<ApiServices, 'queues'>,
  conversationId: string,
  until: Date,
): Promise<void> {
  const data: SnoozeJob = { conversationId, until: until.toISOString() };
  await services.queues.queue(SNOOZE_QUEUE).add('wake', data, {
    // BullMQ refuses ':' in custom job ids.
    jobId: `snooze-${conversationId}-${until.getTime()}`,
    delay: Math.max(0, until.getTime() - Date.now()),
    removeOnComplete: true,
    removeOnFail: 100,
  });
}

/**
 * Opens a snoozed conversation whose snooze this job was for. Anything else (reopened by a new
 * message, resolved, snoozed again to another time) leaves it as it is.
 */
export async function endSnooze(services: Pick<ApiServices, 'db' | 'events'>, job: Job<unknown>): Promise<void> {
  const { conversationId, until } = snoozeJobSchema.parse(job.data);
  const woken = await conversationModel(services.db)
    .findOneAndUpdate(
      { _id: new Types.ObjectId(conversationId), status: 'snoozed', snoozedUntil: new Date(until) },
      { $set: { status: 'open' }, $unset: { snoozedUntil: 1 } },
      { returnDocument: 'after' },
    )
    .lean<ConversationRecord>();
  if (!woken) return;
  const conversation = toConversationView(woken);
  services.events.emit({ type: 'conversation.updated', conversation });
  services.events.emit({ type: 'conversation.status', conversation, previousStatus: 'snoozed', by: null });
}
