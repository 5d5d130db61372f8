import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import type { ApiServices } from '../../api/api-services.js';
import { SystemMailSettingsError } from './digest-mail-settings.js';
import { sendWeeklyDigest } from './send-weekly-digest.js';
import { workspaceTimeZone } from './workspace-time-zone.js';

export const WEEKLY_DIGEST_QUEUE = 'reports-weekly-digest';
/** Mondays at 09:00 (cron: minute hour day-of-month month day-of-week), in the workspace's zone. */
export const WEEKLY_DIGEST_PATTERN = '0 9 * * 1';

/** A job may name the moment it stands for (tests, a manual resend); the scheduler's jobs use the clock. */
const digestJobSchema = z.object({ now: z.iso.datetime().optional() });

/**
 * The weekly digest in a process with the worker role: its worker, and the repeatable job that
 * BullMQ keeps once in Redis however many workers start (the scheduler is upserted by id, with
 * the workspace's current time zone). A failed run is retried; mails already sent are not resent.
 */
export function startWeeklyDigest(services: ApiServices): { stop(): Promise<void> } {
  const worker = services.queues.process<unknown>(WEEKLY_DIGEST_QUEUE, async (job) => {
    const data = digestJobSchema.parse(job.data ?? {});
    try {
      return await sendWeeklyDigest(services, data.now ? { now: new Date(data.now) } : {});
    } catch (error) {
      // Wrong settings stay wrong however often the job is retried.
      if (error instanceof SystemMailSettingsError) throw new UnrecoverableError(error.message);
      throw error;
    }
  });
  if (worker)
    void scheduleWeeklyDigest(services).catch((error: unknown) =>
      services.logger.error({ err: error }, 'could not schedule the weekly digest'),
    );
  return { stop: () => services.queues.stopProcessing(WEEKLY_DIGEST_QUEUE) };
}

export async function scheduleWeeklyDigest(services: ApiServices): Promise<void> {
  const tz = await workspaceTimeZone(services.db);
  await services.queues.queue(WEEKLY_DIGEST_QUEUE).upsertJobScheduler(
    'weekly-digest',
    { pattern: WEEKLY_DIGEST_PATTERN, tz },
    {
      name: 'weekly-digest',
      data: {},
      opts: {
        attempts: 6,
        backoff: { type: 'exponential', delay: 60_000 },
        removeOnComplete: 20,
        removeOnFail: 50,
      },
    },
  );
}
