import type { Effect } from '../engine/effect-schema.js';
import type { DomainFlowEvent } from '../engine/flow-event-schema.js';
import type { RunState } from '../engine/run-state-schema.js';
import { runSubjectKey, shouldEnroll, type PriorRun } from '../engine/should-enroll.js';
import { exitRun, startRun, step, type Clock, type StepResult } from '../engine/step.js';
import { listTimedTriggers, type TimedTriggerSpec } from '../engine/timed-triggers.js';
import type { FlowDefinition } from '../schema/flow-schema.js';
import type { Workspace } from '../schema/workspace-schema.js';
import { applySimAction } from './apply-sim-action.js';
import { applySimEffect } from './apply-sim-effect.js';
import { deriveWorldTimers } from './derive-world-timers.js';
import { SimWorld, type WorldDeal, type WorldEvent, type WorldTask } from './sim-world.js';
import type { Simulation } from './simulation-schema.js';
import { TimerQueue } from './timer-queue.js';

export type TraceEntry =
  | { at: string; kind: 'event'; event: DomainFlowEvent }
  | { at: string; kind: 'enrolled'; flowId: string; runId: string }
  | { at: string; kind: 'not-enrolled'; flowId: string; reason: string }
  | { at: string; kind: 'step'; flowId: string; runId: string; step: string; result: string }
  | { at: string; kind: 'effect'; flowId: string; runId: string; effect: Effect; note?: string }
  | { at: string; kind: 'ended'; flowId: string; runId: string; status: RunState['status']; reason?: string };

export interface SimulationResult {
  trace: TraceEntry[];
  runs: RunState[];
  deals: WorldDeal[];
  tasks: WorldTask[];
  /** Timers still pending at the end (waits, reminders, date triggers). */
  pendingTimers: number;
}

const MAX_EVENTS = 20_000;
const DAY_MS = 86_400_000;

/**
 * A stand-in executor for trying flows out: plays the scripted actions against an in-memory CRM
 * on a simulated clock, runs the engine for every event, performs its effects on that CRM and
 * fires the timers (waits, date triggers, reminders, overdue payments and tasks, no-reply) when
 * their time comes. No servers, no real time; the same input always gives the same trace.
 */
export function simulate(
  definitions: readonly FlowDefinition[],
  workspace: Workspace,
  simulation: Simulation,
): SimulationResult {
  return new Simulator(definitions, workspace, simulation).run();
}

class Simulator {
  private readonly world: SimWorld;
  private readonly timers = new TimerQueue();
  private readonly trace: TraceEntry[] = [];
  private readonly runs = new Map<string, RunState>();
  private readonly active = new Map<string, string>();
  private readonly prior = new Map<string, PriorRun[]>();
  private readonly fired = new Set<string>();
  private readonly specs: TimedTriggerSpec[];
  private readonly clock: Clock = { now: () => new Date(this.now) };
  private now: number;
  private runCount = 0;
  private processed = 0;

  constructor(
    private readonly definitions: readonly FlowDefinition[],
    workspace: Workspace,
    private readonly simulation: Simulation,
  ) {
    this.world = new SimWorld(workspace, simulation);
    this.now = Date.parse(simulation.start);
    this.specs = listTimedTriggers(definitions);
  }

  run(): SimulationResult {
    const actions = [...this.simulation.events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const last = actions.at(-1);
    const until = this.simulation.until
      ? Date.parse(this.simulation.until)
      : (last ? Date.parse(last.at) : this.now) + 30 * DAY_MS;
    this.refreshTimers();
    for (const action of actions) {
      this.drain(Date.parse(action.at));
      this.now = Math.max(this.now, Date.parse(action.at));
      this.dispatch(applySimAction(this.world, action, this.clock.now()));
    }
    this.drain(until);
    return {
      trace: this.trace,
      runs: [...this.runs.values()],
      deals: [...this.world.deals.values()],
      tasks: [...this.world.tasks.values()],
      pendingTimers: this.timers.size,
    };
  }

  private drain(until: number): void {
    for (let timer = this.timers.takeDue(until); timer; timer = this.timers.takeDue(until)) {
      this.now = Math.max(this.now, timer.at);
      timer.fire();
    }
  }

  private iso(): string {
    return new Date(this.now).toISOString();
  }

  private dispatch(items: WorldEvent[]): void {
    const queue = [...items];
    for (let item = queue.shift(); item; item = queue.shift()) {
      this.processed += 1;
      if (this.processed > MAX_EVENTS)
        throw new Error('The simulation produced too many events; is there a loop between flows?');
      this.trace.push({ at: this.iso(), kind: 'event', event: item.event });
      for (const definition of this.definitions) queue.push(...this.deliver(definition, item));
    }
    this.refreshTimers();
  }

  /** One event for one flow: to its running run for the subject, and/or a new run. */
  private deliver(definition: FlowDefinition, item: WorldEvent): WorldEvent[] {
    const now = this.clock.now();
    const event: DomainFlowEvent = {
      ...item.event,
      snapshot: this.world.snapshot(item.event.subject, now, item.extra),
    };
    const key = runSubjectKey(definition, event.subject);
    const decision = shouldEnroll(definition, event, { now, runs: key ? (this.prior.get(key) ?? []) : [] });
    const activeId = key ? this.active.get(key) : undefined;
    const activeRun = activeId ? this.runs.get(activeId) : undefined;
    const follow: WorldEvent[] = [];
    if (activeRun) {
      const replaced = decision.enroll && decision.replaceRunId === activeRun.runId;
      const result = replaced
        ? exitRun(definition, activeRun, 're-enrolled', this.clock)
        : step(definition, activeRun, event, this.clock);
      follow.push(...this.absorb(definition, activeRun, result));
    }
    if (decision.enroll) {
      this.runCount += 1;
      const runId = `${definition.id}-${this.runCount}`;
      this.trace.push({ at: this.iso(), kind: 'enrolled', flowId: definition.id, runId });
      follow.push(...this.absorb(definition, undefined, startRun(definition, event, runId, this.clock)));
    } else if (decision.reason !== 'no-matching-trigger' && decision.reason !== 'disabled') {
      this.trace.push({ at: this.iso(), kind: 'not-enrolled', flowId: definition.id, reason: decision.reason });
    }
    return follow;
  }

  /** Stores a run's new state, traces what it did and performs its effects; returns the events they cause. */
  private absorb(definition: FlowDefinition, before: RunState | undefined, result: StepResult): WorldEvent[] {
    const { state } = result;
    const at = this.iso();
    const base = { flowId: definition.id, runId: state.runId };
    for (const entry of state.history.slice(before ? before.history.length : 0))
      this.trace.push({ at, kind: 'step', ...base, step: entry.step, result: entry.result });
    this.runs.set(state.runId, state);
    const key = runSubjectKey(definition, state.subject) ?? state.runId;
    const priors = (this.prior.get(key) ?? []).filter((run) => run.runId !== state.runId);
    priors.push({ runId: state.runId, status: state.status, startedAt: state.startedAt, endedAt: state.endedAt });
    this.prior.set(key, priors);
    const finished = state.status === 'completed' || state.status === 'exited';
    if (finished) {
      if (this.active.get(key) === state.runId) this.active.delete(key);
      if (before?.status !== state.status)
        this.trace.push({ at, kind: 'ended', ...base, status: state.status, reason: state.exitReason });
    } else {
      this.active.set(key, state.runId);
    }
    return result.effects.flatMap((effect) => this.perform(definition, state, effect));
  }

  private perform(definition: FlowDefinition, state: RunState, effect: Effect): WorldEvent[] {
    const base = { at: this.iso(), kind: 'effect' as const, flowId: definition.id, runId: state.runId };
    switch (effect.type) {
      case 'scheduleWait':
        this.timers.set(`wait|${effect.id}`, Date.parse(effect.at), () =>
          this.wake(definition, state.runId, effect.id),
        );
        return [];
      case 'cancelWait':
        this.timers.delete(`wait|${effect.waitId}`);
        return [];
      case 'enroll':
        this.trace.push({ ...base, effect });
        return [{ event: { type: 'manual', subject: effect.subject, flowId: effect.flowId, fromFlow: definition.id } }];
      case 'unenroll': {
        this.trace.push({ ...base, effect });
        const target = this.definitions.find((candidate) => candidate.id === effect.flowId);
        const key = target && runSubjectKey(target, effect.subject);
        const runId = key ? this.active.get(key) : undefined;
        const run = runId ? this.runs.get(runId) : undefined;
        return target && run ? this.absorb(target, run, exitRun(target, run, 'left', this.clock)) : [];
      }
      default: {
        const { events, note } = applySimEffect(this.world, effect, this.clock.now());
        this.trace.push({ ...base, effect, note });
        return events;
      }
    }
  }

  private wake(definition: FlowDefinition, runId: string, waitId: string): void {
    const run = this.runs.get(runId);
    if (!run) return;
    const snapshot = this.world.snapshot(run.subject, this.clock.now());
    const follow = this.absorb(
      definition,
      run,
      step(definition, run, { type: 'wait.elapsed', waitId, snapshot }, this.clock),
    );
    this.dispatch(follow);
  }

  /**
   * Sets the timers that follow from the records: date triggers, upcoming appointments, no-reply,
   * overdue installments and tasks. A timer moves when its anchor changes and fires once per time.
   */
  private refreshTimers(): void {
    const seen = new Set<string>();
    for (const timer of deriveWorldTimers(this.world, this.specs, this.clock.now())) {
      seen.add(timer.key);
      const time = timer.at.getTime();
      if (time < this.now || this.fired.has(`${timer.key}@${time}`)) {
        this.timers.delete(timer.key);
        continue;
      }
      this.timers.set(timer.key, time, () => {
        this.fired.add(`${timer.key}@${time}`);
        const queued = timer.fire(this.clock.now());
        if (queued) this.dispatch([queued]);
      });
    }
    // Timers whose record is gone or no longer qualifies (the schedule moved to a copy, a reply came).
    for (const key of this.timers.keys()) if (!key.startsWith('wait|') && !seen.has(key)) this.timers.delete(key);
  }
}
