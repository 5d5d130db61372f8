import type { ApiServices } from '../../api/api-services.js';
import { callsMade, dealsMoved, messagesSent, tasksDone } from '../activity-counts.js';
import { dealCohort } from '../deal-cohort.js';
import { automationMoves } from '../automation-moves.js';
import { wonDeals } from '../sales-cycles.js';
import { stageStays } from '../stage-stays.js';
import { responseGroups } from '../events/response-groups.js';
import { workspaceTimeZone } from '../digest/workspace-time-zone.js';
import { localDay, startOfDay } from '../report-periods.js';
import { keptCounts, splitDays, type DailyMeasure } from './daily-counts.js';

export const REPORT_DAYS_QUEUE = 'reports-daily-counts';
/** Every night at 00:20 in the workspace's zone: the day just over is counted before anyone asks. */
export const REPORT_DAYS_PATTERN = '20 0 * * *';
/** On start, the days the default report and its comparison read (two periods of 30 days), and a margin. */
const DAYS_ON_START = 62;
const ON_START_DELAY_MS = 3 * 60_000;
const DAY_MS = 24 * 3600_000;

/** The measures reports keep per day. */
export const DAILY_MEASURES: readonly DailyMeasure<unknown>[] = [
  callsMade,
  messagesSent,
  tasksDone,
  dealsMoved,
  responseGroups,
  dealCohort,
  stageStays,
  wonDeals,
  automationMoves,
];

/**
 * Counts and keeps every daily measure's closed days among the last `days` (those kept already
 * are skipped), so a report reads kept days instead of counting them when a manager opens it.
 */
export async function keepReportDays(
  services: Pick<ApiServices, 'db'>,
  timeZone: string,
  days: number,
  now: Date = new Date(),
): Promise<void> {
  const from = startOfDay(localDay(new Date(now.getTime() - days * DAY_MS), timeZone), timeZone);
  const { settled } = splitDays({ from, to: now }, timeZone, now);
  for (const measure of DAILY_MEASURES) await keptCounts(services.db, measure, settled, timeZone, now);
}

/**
 * The daily pre-aggregation in a process with the worker role: a job a few minutes after start
 * for the recent days, and the nightly one BullMQ keeps once in Redis however many workers start.
 */
export function startReportDays(services: ApiServices): { stop(): Promise<void> } {
  const worker = services.queues.process<{ days?: number }>(REPORT_DAYS_QUEUE, async (job) => {
    await keepReportDays(services, await workspaceTimeZone(services.db), job.data?.days ?? 2);
  });
  if (worker) {
    void scheduleReportDays(services).catch((error: unknown) =>
      services.logger.error({ err: error }, 'could not schedule the daily report counts'),
    );
  }
  return { stop: () => services.queues.stopProcessing(REPORT_DAYS_QUEUE) };
}

async function scheduleReportDays(services: ApiServices): Promise<void> {
  const tz = await workspaceTimeZone(services.db);
  const queue = services.queues.queue(REPORT_DAYS_QUEUE);
  const opts = { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: 20, removeOnFail: 50 };
  await queue.upsertJobScheduler(
    'daily-counts',
    { pattern: REPORT_DAYS_PATTERN, tz },
    { name: 'daily-counts', data: {}, opts },
  );
  // One per start (several workers starting together add it once: the id is the same for a minute),
  // a few minutes in: the start itself (a demo seed, the first sign-ins) goes first.
  const minute = Math.floor(Date.now() / 60_000);
  await queue.add(
    'on-start',
    { days: DAYS_ON_START },
    { ...opts, jobId: `on-start-${minute}`, delay: ON_START_DELAY_MS },
  );
}
