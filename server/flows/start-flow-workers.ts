import type { ApiServices } from '../api/api-services.js';
import { FlowExecutor } from './flow-executor.js';
import { FLOW_EVENTS_QUEUE, FLOW_WAITS_QUEUE, flowEventJobSchema, flowWaitJobSchema } from './flow-jobs.js';

/** A killed worker's job goes back to the queue within ~15 s (BullMQ's defaults take a minute). */
const STALL = { lockDuration: 10_000, stalledInterval: 5_000 };

/**
 * The flow workers of a process with the worker role. Events are taken one at a time, in the
 * order they came, so a run sees its events in order; waits come due in parallel and meet the
 * events at the run's optimistic lock (a loser is retried with the run's new state).
 */
export function startFlowWorkers(services: ApiServices): { stop(): Promise<void> } {
  const executor = new FlowExecutor(services);
  services.queues.process<unknown>(
    FLOW_EVENTS_QUEUE,
    async (job) => {
      const data = flowEventJobSchema.parse(job.data);
      if (data.kind === 'unenroll') return executor.unenroll(data.flowId, data.subject, String(job.id));
      const { event } = data;
      if (event.type === 'wait.elapsed') return undefined;
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
  return {
    async stop() {
      await services.queues.stopProcessing(FLOW_WAITS_QUEUE);
      await services.queues.stopProcessing(FLOW_EVENTS_QUEUE);
    },
  };
}
