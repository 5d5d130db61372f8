import type { JobsOptions } from 'bullmq';
import type { QueueRegistry } from '../queues/queue-registry.js';

/** Where launches wait (a scheduled one until its time) and are frozen into recipients. */
export const BROADCAST_LAUNCH_QUEUE = 'broadcast-launch';

export interface LaunchJob {
  broadcastId: string;
}

export interface RecipientJob {
  broadcastId: string;
  contactId: string;
}

/** One queue per (broadcast, account): each is paused, resumed and rate-limited on its own. */
export function recipientQueueName(broadcastId: string, accountId: string): string {
  return `broadcast-${broadcastId}-${accountId}`;
}

const RECIPIENT_JOB_OPTIONS: JobsOptions = {
  // A store or Redis hiccup is retried; the job itself is idempotent (it acts on `planned` only).
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Jobs added per round trip to Redis. */
const BULK = 1000;

/**
 * One job per recipient, its id the contact's id: adding the same recipient again (a launch
 * resumed after a crash) adds no second job while the first exists, and a job whose recipient
 * has already left `planned` does nothing.
 */
export async function enqueueRecipients(
  queues: QueueRegistry,
  broadcastId: string,
  accountId: string,
  contactIds: string[],
): Promise<void> {
  const queue = queues.queue(recipientQueueName(broadcastId, accountId));
  for (let start = 0; start < contactIds.length; start += BULK) {
    await queue.addBulk(
      contactIds.slice(start, start + BULK).map((contactId) => ({
        name: 'deliver',
        data: { broadcastId, contactId } satisfies RecipientJob,
        opts: { ...RECIPIENT_JOB_OPTIONS, jobId: contactId },
      })),
    );
  }
}
