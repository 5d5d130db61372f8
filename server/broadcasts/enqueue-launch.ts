import type { QueueRegistry } from '../queues/queue-registry.js';
import { BROADCAST_LAUNCH_QUEUE, type LaunchJob } from './broadcast-queues.js';

/**
 * Queues a broadcast's launch, at `at` for a scheduled one. The job id is the broadcast id, so a
 * launch already waiting or running is not queued twice.
 */
export async function enqueueLaunch(queues: QueueRegistry, broadcastId: string, at?: Date): Promise<void> {
  await queues.queue(BROADCAST_LAUNCH_QUEUE).add('launch', { broadcastId } satisfies LaunchJob, {
    jobId: broadcastId,
    ...(at ? { delay: Math.max(0, at.getTime() - Date.now()) } : {}),
    attempts: 10,
    backoff: { type: 'exponential', delay: 2000 },
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  });
}
