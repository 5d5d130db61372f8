import type { JobsOptions } from 'bullmq';
import type { QueueRegistry } from '../queues/queue-registry.js';

/** One queue per channel account, so each account's rate limit and 429 pauses are its own. */
export function outboundQueueName(accountId: string): string {
  return `outbound-${accountId}`;
}

export interface OutboundJob {
  messageId: string;
}

/** Transient failures (network, 5xx) are retried this often, backing off from 2 s to about 4 min. */
export const OUTBOUND_ATTEMPTS = 8;

const JOB_OPTIONS: JobsOptions = {
  attempts: OUTBOUND_ATTEMPTS,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * BullMQ takes jobs without a priority before any job with one, lower numbers first
 * (https://docs.bullmq.io/guide/jobs/prioritized): a broadcast's messages wait behind every
 * conversation reply on the same account, so a campaign never holds up an operator's answer. A
 * broadcast message stored before a reply to the same chat takes the reply's priority when the
 * reply finds it in the way (ChatSendOrder), since the chat's messages leave in stored order.
 */
export const BROADCAST_PRIORITY = 10;

/** A stored message's queue priority: broadcasts' behind replies, everything else none. */
export function outboundPriority(message: { broadcastId?: unknown }): { priority?: number } {
  return message.broadcastId ? { priority: BROADCAST_PRIORITY } : {};
}

/**
 * Hands a stored, `queued` message to its account's queue. The job id is the message id, so
 * queueing the same message twice (a retried request, a replayed event) adds no second job.
 */
export async function enqueueOutbound(
  queues: QueueRegistry,
  accountId: string,
  messageId: string,
  options: { priority?: number } = {},
): Promise<void> {
  await queues.queue(outboundQueueName(accountId)).add('send', { messageId } satisfies OutboundJob, {
    ...JOB_OPTIONS,
    ...(options.priority ? { priority: options.priority } : {}),
    jobId: messageId,
  });
}
