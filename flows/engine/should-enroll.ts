import type { FlowDefinition } from '../schema/flow-schema.js';
import { addDuration } from './duration.js';
import { evaluateCondition } from './evaluate-condition.js';
import type { DomainFlowEvent, FlowEvent } from './flow-event-schema.js';
import { matchesTrigger } from './match-trigger.js';
import type { RunState } from './run-state-schema.js';
import { eventData } from './step.js';
import { systemValues } from './system-values.js';

/** What the executor keeps about earlier runs of this flow for the same contact (or deal). */
export interface PriorRun {
  runId: string;
  status: RunState['status'];
  startedAt: string;
  endedAt?: string;
}

export interface EnrollmentContext {
  now: Date;
  /** This flow's runs for the subject key (see runSubjectKey), any order. */
  runs: readonly PriorRun[];
}

export type EnrollmentRefusal =
  | 'disabled'
  | 'no-matching-trigger'
  | 'no-deal'
  | 'conditions-not-met'
  | 'goal-already-met'
  | 'already-enrolled'
  | 'already-running'
  | 'cool-down';

export type EnrollmentDecision =
  | { enroll: true; subjectKey: string; /** A running run to exit first (policy "always"). */ replaceRunId?: string }
  | { enroll: false; reason: EnrollmentRefusal };

/** Runs are kept per contact or per deal; the executor stores and looks runs up by this key. */
export function runSubjectKey(
  definition: Pick<FlowDefinition, 'id' | 'runsPer'>,
  subject: DomainFlowEvent['subject'],
): string | undefined {
  if (definition.runsPer === 'deal') return subject.dealId && `${definition.id}/deal/${subject.dealId}`;
  return `${definition.id}/contact/${subject.contactId}`;
}

/**
 * Whether an event starts a run of this flow for its subject: a trigger matches (a manual event
 * names its flow; a person may start flows with a manual trigger, another flow's enroll step any
 * flow), the entry conditions hold, no goal is met yet, and re-enrollment allows it.
 */
export function shouldEnroll(
  definition: FlowDefinition,
  event: FlowEvent,
  context: EnrollmentContext,
): EnrollmentDecision {
  if (!definition.enabled) return { enroll: false, reason: 'disabled' };
  if (event.type === 'wait.elapsed') return { enroll: false, reason: 'no-matching-trigger' };
  if (event.type === 'manual' && event.flowId !== definition.id)
    return { enroll: false, reason: 'no-matching-trigger' };
  const fromFlow = event.type === 'manual' && event.fromFlow !== undefined;
  if (!fromFlow && !definition.triggers.some((trigger) => matchesTrigger(trigger, event)))
    return { enroll: false, reason: 'no-matching-trigger' };
  const subjectKey = runSubjectKey(definition, event.subject);
  if (!subjectKey) return { enroll: false, reason: 'no-deal' };

  const scope = enrollmentScope(definition, event, context.now);
  const conditionContext = { now: context.now, timeZone: definition.timeZone };
  if (definition.conditions && !evaluateCondition(definition.conditions, scope, conditionContext))
    return { enroll: false, reason: 'conditions-not-met' };
  if (definition.goals.some((goal) => evaluateCondition(goal.when, scope, conditionContext)))
    return { enroll: false, reason: 'goal-already-met' };

  const { policy, coolDown } = definition.reEnrollment;
  const running = context.runs.find((run) => run.status === 'active' || run.status === 'waiting');
  if (policy === 'never' && context.runs.length > 0) return { enroll: false, reason: 'already-enrolled' };
  if (policy === 'afterExit' && running) return { enroll: false, reason: 'already-running' };
  if (coolDown && context.runs.length > 0) {
    const last = Math.max(...context.runs.map((run) => Date.parse(run.endedAt ?? run.startedAt)));
    if (addDuration(new Date(last), coolDown, definition.timeZone) > context.now)
      return { enroll: false, reason: 'cool-down' };
  }
  return running ? { enroll: true, subjectKey, replaceRunId: running.runId } : { enroll: true, subjectKey };
}

/** What entry conditions and goals read before a run exists: the event's records, the event, system values. */
function enrollmentScope(definition: FlowDefinition, event: DomainFlowEvent, now: Date): Record<string, unknown> {
  const conversation = event.snapshot?.conversation;
  const channel = conversation?.channel ?? ('channel' in event ? event.channel : undefined);
  return {
    ...event.snapshot,
    vars: {},
    event: eventData(event),
    system: systemValues(definition, now, conversation, channel),
  };
}
