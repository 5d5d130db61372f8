import { z } from 'zod';
import { flowEventSchema, type DomainFlowEvent } from '../../flows/index.js';
import { subjectSchema } from '../../flows/engine/flow-event-schema.js';
import type { QueueRegistry } from '../queues/queue-registry.js';

/** Domain events turned into flow events, and runs stopped from outside; one worker applies them in order. */
export const FLOW_EVENTS_QUEUE = 'flow-events';
/** Delayed jobs, one per wait, job id = the wait's id: due → `wait.elapsed` for its run. */
export const FLOW_WAITS_QUEUE = 'flow-waits';
/** One repeating job: the scan that turns due dates, overdue payments and tasks, silences into events. */
export const FLOW_TIMERS_QUEUE = 'flow-timers';

export const flowEventJobSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('event'), event: flowEventSchema }),
  z.strictObject({ kind: z.literal('unenroll'), flowId: z.string(), subject: subjectSchema }),
]);
export type FlowEventJob = z.infer<typeof flowEventJobSchema>;

export const flowWaitJobSchema = z.strictObject({ runId: z.string(), waitId: z.string() });
export type FlowWaitJob = z.infer<typeof flowWaitJobSchema>;

/**
 * Completed jobs are kept a week: a job id seen again within it (a repeated event, a retried
 * enqueue) is absorbed by BullMQ; runs also remember the event ids they applied.
 */
const KEEP = { removeOnComplete: { age: 7 * 86_400, count: 50_000 }, removeOnFail: { age: 7 * 86_400 } };
const RETRY = { attempts: 10, backoff: { type: 'exponential', delay: 500 } };

/** BullMQ job ids may not contain ':' (it separates Redis key parts). */
export function jobIdOf(id: string): string {
  return id.replaceAll(':', '_');
}

type IdentifiedFlowEvent = DomainFlowEvent & { id: string };

/**
 * The job of a flow event, with the same options however it is added; its id is the event's id
 * unless the caller names another (`jobId`).
 */
function flowEventJob(event: IdentifiedFlowEvent, jobId: string = event.id) {
  const data: FlowEventJob = { kind: 'event', event };
  return { name: event.type, data, opts: { jobId: jobIdOf(jobId), ...KEEP, ...RETRY } };
}

/**
 * Hands a flow event to the flow worker; the job id is the event's id, so a repeat is absorbed.
 * `jobId` lets a caller hand the same event again on purpose (a follow-up campaign started anew):
 * the run it starts is still named after the event, so it starts once.
 */
export async function enqueueFlowEvent(
  queues: QueueRegistry,
  event: IdentifiedFlowEvent,
  jobId: string = event.id,
): Promise<void> {
  const { name, data, opts } = flowEventJob(event, jobId);
  await queues.queue(FLOW_EVENTS_QUEUE).add(name, data, opts);
}

/**
 * Hands several flow events in one round trip (a batch of inbound messages). `addBulk` adds each
 * job with the same script as `add`, which leaves a job whose id it already holds as it is, so a
 * repeat is absorbed here too (node_modules/bullmq: addStandardJob's `EXISTS jobIdKey`).
 */
export async function enqueueFlowEvents(queues: QueueRegistry, events: IdentifiedFlowEvent[]): Promise<void> {
  if (events.length === 0) return;
  await queues.queue(FLOW_EVENTS_QUEUE).addBulk(events.map((event) => flowEventJob(event)));
}

export async function enqueueUnenroll(
  queues: QueueRegistry,
  id: string,
  job: Omit<Extract<FlowEventJob, { kind: 'unenroll' }>, 'kind'>,
): Promise<void> {
  const data: FlowEventJob = { kind: 'unenroll', ...job };
  await queues.queue(FLOW_EVENTS_QUEUE).add('unenroll', data, { jobId: jobIdOf(id), ...KEEP, ...RETRY });
}

/** The delayed job of a wait; adding it again (a replayed effect) is absorbed by its job id. */
export async function scheduleWaitJob(queues: QueueRegistry, job: FlowWaitJob, at: Date): Promise<void> {
  await queues.queue(FLOW_WAITS_QUEUE).add('wait', job, {
    jobId: jobIdOf(job.waitId),
    delay: Math.max(0, at.getTime() - Date.now()),
    ...KEEP,
    ...RETRY,
  });
}

/** Drops a wait's delayed job; a no-op when it already ran or is gone. */
export async function cancelWaitJob(queues: QueueRegistry, waitId: string): Promise<void> {
  await queues.queue(FLOW_WAITS_QUEUE).remove(jobIdOf(waitId));
}
