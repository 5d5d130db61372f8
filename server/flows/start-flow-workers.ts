import type { AnswerParser } from '../../flows/index.js';
import type { ApiServices } from '../api/api-services.js';
import { followUpRunning } from '../campaigns/follow-up-running.js';
import { FlowExecutor } from './flow-executor.js';
import type { FrontDoorGate } from './front-door-gate.js';
import {
  FLOW_EVENTS_QUEUE,
  FLOW_TIMERS_QUEUE,
  FLOW_WAITS_QUEUE,
  flowEventJobSchema,
  flowWaitJobSchema,
} from './flow-jobs.js';
import { scanFlowTimers } from './scan-flow-timers.js';

/** A killed worker's job goes back to the queue within ~15 s (BullMQ's defaults take a minute). */
const STALL = { lockDuration: 10_000, stalledInterval: 5_000 };

/** How often the time-based triggers are looked for: they fire at most this late. */
export const FLOW_TIMER_SCAN_MS = 30_000;

/**
 * The flow workers of a process with the worker role. Events are taken one at a time, in the
 * order they came, so a run sees its events in order; waits come due in parallel and meet the
 * events at the run's optimistic lock (a loser is retried with the run's new state).
 */
export function startFlowWorkers(
  services: ApiServices,
  options: { answerParser?: AnswerParser; frontDoor?: FrontDoorGate } = {},
): { stop(): Promise<void> } {
  const executor = new FlowExecutor(services, options.answerParser, options.frontDoor);
  services.queues.process<unknown>(
    FLOW_EVENTS_QUEUE,
    async (job) => {
      const data = flowEventJobSchema.parse(job.data);
      if (data.kind === 'unenroll') return executor.unenroll(data.flowId, data.subject, String(job.id));
      const { event } = data;
      if (event.type === 'wait.elapsed') return undefined;
      // A stopped follow-up campaign's enrolments still in the queue start nobody.
      if (event.type === 'manual' && event.campaignId && !(await followUpRunning(services.db, event.campaignId)))
        return undefined;
      return executor.handleEvent({ ...event, id: event.id ?? String(job.id) });
    },
    STALL,
  );
  services.queues.process<unknown>(
    FLOW_WAITS_QUEUE,
    async (job) => {
      const { runId, waitId } = flowWaitJobSchema.parse(job.data);
      await executor.handleWait(runId, waitId);
    },
    { concurrency: 4, ...STALL },
  );
  const timers = services.queues.process<unknown>(FLOW_TIMERS_QUEUE, async () => scanFlowTimers(services), STALL);
  // One scheduler per queue name, whatever the number of worker processes (BullMQ keeps it in Redis).
  if (timers)
    void services.queues
      .queue(FLOW_TIMERS_QUEUE)
      .upsertJobScheduler(
        'scan',
        { every: FLOW_TIMER_SCAN_MS },
        { name: 'scan', opts: { removeOnComplete: 100, removeOnFail: 100 } },
      )
      .catch((error: unknown) => services.logger.error({ err: error }, 'could not schedule the flow timers'));
  return {
    async stop() {
      await services.queues.stopProcessing(FLOW_TIMERS_QUEUE);
      await services.queues.stopProcessing(FLOW_WAITS_QUEUE);
      await services.queues.stopProcessing(FLOW_EVENTS_QUEUE);
    },
  };
}
