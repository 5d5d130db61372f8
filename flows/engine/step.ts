import type { FlowDefinition } from '../schema/flow-schema.js';
import type { Effect } from './effect-schema.js';
import { evaluateCondition } from './evaluate-condition.js';
import { executeStep } from './execute-step.js';
import { FlowEngineError } from './flow-engine-error.js';
import type { DomainFlowEvent, FlowEvent } from './flow-event-schema.js';
import { matchesTrigger } from './match-trigger.js';
import { RunContext } from './run-context.js';
import { RUN_STATE_VERSION, type ExitReason, type RunState } from './run-state-schema.js';
import { answerAsk, remindAsk, saveFoundAnswers, timeOutAsk } from './steps/message-steps.js';
import { onBookEvent, timeOutBook } from './steps/book-step.js';
import type { StepOutcome } from './steps/step-outcome.js';

/** Time comes from outside: the executor passes the real clock, tests and the simulator a fake one. */
export interface Clock {
  now(): Date;
}

export interface StepResult {
  state: RunState;
  /** To be performed in order; each carries an id to make it idempotent. */
  effects: Effect[];
}

/** A flow without waits finishes within one call; a longer chain means a loop the validator missed. */
const MAX_STEPS_PER_CALL = 200;

/**
 * The engine: a run's state plus one event gives the next state and the effects to perform. Pure
 * (no I/O, no clock, no Math.random) and deterministic, so a retried job computes the same ids.
 */
export function step(definition: FlowDefinition, state: RunState, event: FlowEvent, clock: Clock): StepResult {
  assertPinned(definition, state);
  if (state.status === 'completed' || state.status === 'exited') return { state, effects: [] };
  const domainEvent = event.type === 'wait.elapsed' ? undefined : event;
  if (domainEvent && !concernsRun(definition, state, domainEvent)) return { state, effects: [] };
  const ctx = new RunContext(definition, structuredClone(state), clock.now(), domainEvent);
  ctx.absorb(event.snapshot);
  const reason = exitReason(ctx, domainEvent);
  if (reason) finish(ctx, 'exited', reason);
  else if (!exitOnGoal(ctx)) resume(ctx, event);
  return result(ctx);
}

/** Creates a run for an event that enrolled the subject (see shouldEnroll) and runs it to its first wait. */
export function startRun(definition: FlowDefinition, event: DomainFlowEvent, runId: string, clock: Clock): StepResult {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(runId))
    throw new FlowEngineError(
      'FLOW_BAD_RUN_ID',
      `Run ids are letters, digits, _ and - (they become job ids): ${runId}`,
    );
  const first = definition.steps[0];
  if (!first) throw new FlowEngineError('FLOW_EMPTY', `Flow ${definition.id} has no steps`);
  const now = clock.now().toISOString();
  const deal = event.snapshot?.deal;
  const stage =
    event.type === 'stage.entered'
      ? { pipeline: event.pipeline, stage: event.stage }
      : deal?.pipeline && deal.stage
        ? { pipeline: deal.pipeline, stage: deal.stage }
        : undefined;
  const state: RunState = {
    version: RUN_STATE_VERSION,
    runId,
    flowId: definition.id,
    flowVersion: definition.version,
    subject: event.subject,
    status: 'active',
    cursor: first.id,
    stage,
    vars: {},
    context: event.snapshot ?? {},
    event: eventData(event),
    attempts: {},
    seq: 0,
    waits: [],
    history: [],
    startedAt: now,
    updatedAt: now,
  };
  const ctx = new RunContext(definition, state, clock.now(), event);
  ctx.record('trigger', 'started', { event: event.type });
  // The message that started the run may already answer some of its questions.
  saveFoundAnswers(ctx, event);
  if (!exitOnGoal(ctx)) advance(ctx, first.id);
  return result(ctx);
}

/** Stops a run from outside (a `leave` step of another flow, re-enrollment, the flow switched off). */
export function exitRun(definition: FlowDefinition, state: RunState, reason: ExitReason, clock: Clock): StepResult {
  assertPinned(definition, state);
  if (state.status === 'completed' || state.status === 'exited') return { state, effects: [] };
  const ctx = new RunContext(definition, structuredClone(state), clock.now(), undefined);
  finish(ctx, 'exited', reason);
  return result(ctx);
}

function assertPinned(definition: FlowDefinition, state: RunState): void {
  if (definition.id !== state.flowId || definition.version !== state.flowVersion)
    throw new FlowEngineError(
      'FLOW_VERSION_MISMATCH',
      `Run ${state.runId} is pinned to ${state.flowId} v${state.flowVersion}, got ${definition.id} v${definition.version}`,
    );
}

/** A per-deal run ignores events about the contact's other deals. */
function concernsRun(definition: FlowDefinition, state: RunState, event: DomainFlowEvent): boolean {
  if (event.subject.contactId !== state.subject.contactId) return false;
  if (definition.runsPer !== 'deal') return true;
  return !event.subject.dealId || !state.subject.dealId || event.subject.dealId === state.subject.dealId;
}

export function eventData(event: DomainFlowEvent): Record<string, unknown> {
  const { snapshot: _snapshot, subject: _subject, id: _id, ...data } = event;
  return data;
}

function exitReason(ctx: RunContext, event: DomainFlowEvent | undefined): ExitReason | undefined {
  const rules = ctx.definition.exit;
  if (rules.optOut && (event?.type === 'contact.optedOut' || ctx.state.context.contact?.optedOut === true))
    return 'opted-out';
  if (rules.takeover && event?.type === 'conversation.takenOver') return 'taken-over';
  const stage = ctx.state.stage;
  if (rules.stageLeft && stage && event && event.subject.dealId === ctx.dealId()) {
    if (event.type === 'stage.left' && event.pipeline === stage.pipeline && event.stage === stage.stage)
      return 'stage-left';
    if (event.type === 'stage.entered' && (event.pipeline !== stage.pipeline || event.stage !== stage.stage))
      return 'stage-left';
  }
  if (rules.when && evaluateCondition(rules.when, ctx.scope(), { now: ctx.now, timeZone: ctx.definition.timeZone }))
    return 'exit-condition';
  return undefined;
}

function exitOnGoal(ctx: RunContext): boolean {
  const scope = ctx.scope();
  const goal = ctx.definition.goals.find((candidate) =>
    evaluateCondition(candidate.when, scope, { now: ctx.now, timeZone: ctx.definition.timeZone }),
  );
  if (!goal) return false;
  ctx.state.goalId = goal.id;
  finish(ctx, 'exited', 'goal');
  return true;
}

function resume(ctx: RunContext, event: FlowEvent): void {
  if (ctx.state.status === 'active') {
    advance(ctx, ctx.state.cursor ?? undefined);
    return;
  }
  if (event.type === 'wait.elapsed') {
    onTimer(ctx, event.waitId);
    return;
  }
  const current = ctx.state.cursor ? ctx.stepById(ctx.state.cursor) : undefined;
  if (current?.type === 'waitFor' && matchesTrigger(current.event, event)) {
    const previous = ctx.state.event;
    ctx.state.event = eventData(event);
    const conditionContext = { now: ctx.now, timeZone: ctx.definition.timeZone };
    if (current.when && !evaluateCondition(current.when, ctx.scope(), conditionContext)) {
      ctx.state.event = previous;
      return;
    }
    ctx.cancelWaits((wait) => wait.stepId === current.id);
    ctx.record(current.id, 'got', { event: event.type });
    advance(ctx, ctx.after(current));
    return;
  }
  const sameConversation =
    !ctx.state.subject.conversationId ||
    !event.subject.conversationId ||
    ctx.state.subject.conversationId === event.subject.conversationId;
  if (current?.type === 'ask' && event.type === 'message.received' && sameConversation) {
    ctx.state.event = eventData(event);
    proceed(ctx, answerAsk(ctx, current, event));
    return;
  }
  const booking = current?.type === 'book' ? onBookEvent(ctx, current, event, sameConversation) : undefined;
  if (booking) {
    if (event.type === 'message.received') ctx.state.event = eventData(event);
    proceed(ctx, booking);
  }
}

/** A timer came: one the run still waits for (a late or repeated one changes nothing). */
function onTimer(ctx: RunContext, waitId: string): void {
  const wait = ctx.state.waits.find((candidate) => candidate.id === waitId);
  const waitingStep = wait && ctx.stepById(wait.stepId);
  if (!wait || !waitingStep) return;
  ctx.state.waits = ctx.state.waits.filter((candidate) => candidate.id !== waitId);
  switch (wait.kind) {
    case 'quiet-hours':
      proceed(ctx, executeStep(ctx, waitingStep, true));
      return;
    case 'delay':
      ctx.record(waitingStep.id, 'waited');
      advance(ctx, ctx.after(waitingStep));
      return;
    case 'reminder':
      if (waitingStep.type === 'ask') proceed(ctx, remindAsk(ctx, waitingStep));
      return;
    case 'timeout':
      if (waitingStep.type === 'ask') proceed(ctx, timeOutAsk(ctx, waitingStep));
      if (waitingStep.type === 'book') proceed(ctx, timeOutBook(ctx, waitingStep));
      if (waitingStep.type === 'waitFor') {
        ctx.cancelWaits((candidate) => candidate.stepId === waitingStep.id);
        ctx.record(waitingStep.id, 'timedOut');
        advance(ctx, waitingStep.onTimeout);
      }
      return;
  }
}

function proceed(ctx: RunContext, outcome: StepOutcome): void {
  if (outcome.kind === 'continue') advance(ctx, outcome.next);
  else if (outcome.kind === 'wait') ctx.state.status = 'waiting';
  else finish(ctx, 'completed');
}

/** Executes steps from `from` until one waits, the flow ends or a goal is met. */
function advance(ctx: RunContext, from: string | undefined): void {
  let next = from;
  for (let count = 0; next !== undefined; count += 1) {
    if (exitOnGoal(ctx)) return;
    const current = ctx.stepById(next);
    if (!current) break;
    if (count >= MAX_STEPS_PER_CALL) {
      finish(ctx, 'exited', 'step-limit');
      return;
    }
    ctx.state.cursor = current.id;
    ctx.state.status = 'active';
    const outcome = executeStep(ctx, current);
    if (outcome.kind !== 'continue') {
      proceed(ctx, outcome);
      return;
    }
    next = outcome.next;
  }
  if (!exitOnGoal(ctx)) finish(ctx, 'completed');
}

function finish(ctx: RunContext, status: 'completed' | 'exited', reason?: ExitReason): void {
  ctx.cancelWaits();
  if (status === 'exited')
    ctx.record(ctx.state.cursor ?? 'run', 'exited', { reason: reason ?? '', goal: ctx.state.goalId ?? undefined });
  ctx.state.status = status;
  ctx.state.exitReason = reason;
  ctx.state.cursor = null;
  ctx.state.endedAt = ctx.now.toISOString();
  ctx.state.attempts = {};
}

function result(ctx: RunContext): StepResult {
  ctx.state.updatedAt = ctx.now.toISOString();
  return { state: ctx.state, effects: ctx.effects };
}
