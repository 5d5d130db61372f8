import { describe, expect, it } from 'vitest';
import type { DomainFlowEvent, FlowEvent } from '../../flows/engine/flow-event-schema.js';
import { FlowEngineError } from '../../flows/engine/flow-engine-error.js';
import { runSubjectKey, shouldEnroll, type PriorRun } from '../../flows/engine/should-enroll.js';
import { exitRun, startRun, step } from '../../flows/engine/step.js';
import { defineFlow, FakeClock, manual, SNAPSHOT, SUBJECT } from './flow-fixtures.js';

const now = new Date('2025-03-03T09:00:00Z');
const entered = (stage: string, dealId = 'd1'): DomainFlowEvent => ({
  type: 'stage.entered',
  subject: { ...SUBJECT, dealId },
  pipeline: 'sales',
  stage,
  existing: false,
  snapshot: { ...SNAPSHOT, deal: { id: dealId, pipeline: 'sales', stage, fields: {} } },
});
const left = (stage: string): DomainFlowEvent => ({ type: 'stage.left', subject: SUBJECT, pipeline: 'sales', stage });

/** Waits a week on the "new" stage, then tags: long enough for things to happen meanwhile. */
const stageFlow = (extra: Partial<Parameters<typeof defineFlow>[0]> = {}) =>
  defineFlow({
    runsPer: 'deal',
    triggers: [{ type: 'stage.entered', pipeline: 'sales', stage: 'new', includeExisting: false }],
    steps: [
      { id: 'week', type: 'wait', for: '7d' },
      { id: 'follow-up', type: 'addTag', tags: ['stale'] },
    ],
    ...extra,
  });

function begin(definition = stageFlow(), event: FlowEvent = entered('new')) {
  const clock = new FakeClock(now.toISOString());
  if (event.type === 'wait.elapsed') throw new Error('not a trigger');
  return { clock, started: startRun(definition, event, 'run1', clock) };
}

describe('engine run lifecycle', () => {
  describe('goals', () => {
    const withGoal = stageFlow({
      goals: [{ id: 'measured', when: { path: 'deal.stage', op: 'eq', value: 'measured' } }],
    });

    it('should exit the run when an event shows the goal met, cancelling its timers', () => {
      const { clock, started } = begin(withGoal);
      const wait = started.state.waits[0];
      const result = step(withGoal, started.state, entered('measured'), clock);
      expect(result.state).toMatchObject({ status: 'exited', exitReason: 'goal', goalId: 'measured', cursor: null });
      expect(result.effects).toEqual([
        { type: 'cancelWait', id: expect.not.stringMatching(`^${wait?.id}$`), stepId: 'week', waitId: wait?.id },
      ]);
    });

    it('should exit when one of its own steps meets the goal', () => {
      const definition = defineFlow({
        goals: [{ id: 'tagged', when: { path: 'contact.tags', op: 'contains', value: 'hot' } }],
        steps: [
          { id: 'tag', type: 'addTag', tags: ['hot'] },
          { id: 'never', type: 'notify', to: { type: 'owner' }, text: { ru: 'не дойдёт' } },
        ],
      });
      const result = startRun(definition, manual(), 'run1', new FakeClock(now.toISOString()));
      expect(result.effects.map((effect) => effect.type)).toEqual(['addTags']);
      expect(result.state).toMatchObject({ status: 'exited', goalId: 'tagged' });
    });

    it('should not enroll a subject that already meets a goal', () => {
      const event = { ...entered('new'), snapshot: { ...SNAPSHOT, deal: { id: 'd1', stage: 'measured' } } };
      expect(shouldEnroll(withGoal, event, { now, runs: [] })).toEqual({ enroll: false, reason: 'goal-already-met' });
    });
  });

  describe('exit rules', () => {
    it('should leave when the deal leaves the stage, but not for the flow own move', () => {
      const definition = stageFlow({
        exit: { stageLeft: true },
        steps: [
          { id: 'move', type: 'moveStage', stage: 'measured' },
          { id: 'week', type: 'wait', for: '7d' },
          { id: 'tag', type: 'addTag', tags: ['x'] },
        ],
      });
      const { clock, started } = begin(definition);
      const own = step(definition, started.state, left('new'), clock);
      expect(own.state.status).toBe('waiting');
      const ownEntered = step(definition, own.state, entered('measured'), clock);
      expect(ownEntered.state.status).toBe('waiting');
      const moved = step(definition, ownEntered.state, left('measured'), clock);
      expect(moved.state).toMatchObject({ status: 'exited', exitReason: 'stage-left' });
    });

    it('should leave on opt-out, on takeover and on the exit condition', () => {
      const definition = stageFlow({
        exit: { optOut: true, takeover: true, when: { path: 'deal.status', op: 'eq', value: 'lost' } },
      });
      const { clock, started } = begin(definition);
      const optedOut = step(definition, started.state, { type: 'contact.optedOut', subject: SUBJECT }, clock);
      expect(optedOut.state.exitReason).toBe('opted-out');
      const takenOver = step(
        definition,
        started.state,
        { type: 'conversation.takenOver', subject: SUBJECT, by: 'u2' },
        clock,
      );
      expect(takenOver.state.exitReason).toBe('taken-over');
      const lost: FlowEvent = { ...left('new'), snapshot: { deal: { id: 'd1', status: 'lost' } } };
      expect(step(definition, started.state, lost, clock).state.exitReason).toBe('exit-condition');
    });

    it('should stop from outside with exitRun (leave step, re-enrollment)', () => {
      const { clock, started } = begin();
      const result = exitRun(stageFlow(), started.state, 'left', clock);
      expect(result.state).toMatchObject({ status: 'exited', exitReason: 'left' });
      expect(result.effects.map((effect) => effect.type)).toEqual(['cancelWait']);
    });
  });

  describe('enrollment', () => {
    const run = (status: PriorRun['status'], startedAt: string, endedAt?: string): PriorRun => ({
      runId: 'old',
      status,
      startedAt,
      endedAt,
    });

    it('should start only on a matching trigger that meets the conditions', () => {
      const definition = stageFlow({ conditions: { path: 'deal.fields.budget', op: 'gte', value: 100 } });
      expect(shouldEnroll(definition, entered('measured'), { now, runs: [] })).toEqual({
        enroll: false,
        reason: 'no-matching-trigger',
      });
      expect(shouldEnroll(definition, entered('new'), { now, runs: [] })).toEqual({
        enroll: false,
        reason: 'conditions-not-met',
      });
      const rich = { ...entered('new'), snapshot: { deal: { id: 'd1', fields: { budget: 500 } } } };
      expect(shouldEnroll(definition, rich, { now, runs: [] })).toEqual({
        enroll: true,
        subjectKey: 'test-flow/deal/d1',
      });
      expect(shouldEnroll({ ...definition, enabled: false }, rich, { now, runs: [] })).toEqual({
        enroll: false,
        reason: 'disabled',
      });
    });

    it('should key runs per deal or per contact and need a deal for per-deal flows', () => {
      expect(runSubjectKey(stageFlow(), SUBJECT)).toBe('test-flow/deal/d1');
      expect(runSubjectKey(defineFlow({ steps: [{ id: 'a', type: 'end' }] }), SUBJECT)).toBe('test-flow/contact/c1');
      const noDeal = { ...entered('new'), subject: { contactId: 'c1' } };
      expect(shouldEnroll(stageFlow(), noDeal, { now, runs: [] })).toEqual({ enroll: false, reason: 'no-deal' });
    });

    it('should follow the re-enrollment policy and its cool-down', () => {
      const event = entered('new');
      const never = stageFlow({ reEnrollment: { policy: 'never' } });
      expect(
        shouldEnroll(never, event, { now, runs: [run('completed', '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z')] }),
      ).toEqual({
        enroll: false,
        reason: 'already-enrolled',
      });
      const afterExit = stageFlow({ reEnrollment: { policy: 'afterExit', coolDown: '30d' } });
      expect(shouldEnroll(afterExit, event, { now, runs: [run('waiting', '2025-03-01T00:00:00Z')] })).toMatchObject({
        reason: 'already-running',
      });
      expect(
        shouldEnroll(afterExit, event, { now, runs: [run('exited', '2025-02-01T00:00:00Z', '2025-02-20T00:00:00Z')] }),
      ).toMatchObject({
        reason: 'cool-down',
      });
      expect(
        shouldEnroll(afterExit, event, { now, runs: [run('exited', '2025-01-01T00:00:00Z', '2025-01-20T00:00:00Z')] }),
      ).toMatchObject({
        enroll: true,
      });
      const always = stageFlow({ reEnrollment: { policy: 'always' } });
      expect(shouldEnroll(always, event, { now, runs: [run('waiting', '2025-03-01T00:00:00Z')] })).toEqual({
        enroll: true,
        subjectKey: 'test-flow/deal/d1',
        replaceRunId: 'old',
      });
    });

    it('should let a person start only flows with a manual trigger, and another flow start any', () => {
      const automatic = stageFlow();
      const byPerson = manual();
      expect(shouldEnroll(automatic, byPerson, { now, runs: [] })).toEqual({
        enroll: false,
        reason: 'no-matching-trigger',
      });
      expect(
        shouldEnroll(automatic, { ...byPerson, by: undefined, fromFlow: 'other' }, { now, runs: [] }),
      ).toMatchObject({ enroll: true });
      expect(shouldEnroll(automatic, { ...byPerson, flowId: 'another' }, { now, runs: [] })).toMatchObject({
        enroll: false,
      });
    });
  });

  describe('contract', () => {
    it('should refuse a definition of another version than the run is pinned to', () => {
      const { clock, started } = begin();
      const newer = { ...stageFlow(), version: 2 };
      expect(() => step(newer, started.state, left('new'), clock)).toThrow(FlowEngineError);
      expect(() => startRun(stageFlow(), entered('new'), 'run:1', clock)).toThrow(/job ids/);
    });

    it('should be deterministic and leave its input alone', () => {
      const { clock, started } = begin();
      const frozen = structuredClone(started.state);
      const first = step(stageFlow(), started.state, { type: 'wait.elapsed', waitId: 'run1.week.1' }, clock);
      const second = step(stageFlow(), started.state, { type: 'wait.elapsed', waitId: 'run1.week.1' }, clock);
      expect(started.state).toEqual(frozen);
      expect(first).toEqual(second);
      expect(first.effects[0]).toMatchObject({ type: 'addTags', id: 'run1.follow-up.2' });
    });

    it('should ignore events after the end and events about another deal', () => {
      const { clock, started } = begin();
      expect(step(stageFlow(), started.state, entered('new', 'd2'), clock)).toEqual({
        state: started.state,
        effects: [],
      });
      const ended = exitRun(stageFlow(), started.state, 'left', clock).state;
      expect(step(stageFlow(), ended, entered('new'), clock)).toEqual({ state: ended, effects: [] });
    });

    it('should hold a night message across a DST change in the flow time zone', () => {
      const definition = defineFlow(
        { steps: [{ id: 'hello', type: 'send', text: { ru: 'Доброе утро' } }] },
        { timeZone: 'America/New_York', quietHours: { from: '21:00', to: '08:00' } },
      );
      // 23:30 EST on Saturday; clocks spring forward at 02:00, so 08:00 on Sunday is EDT (UTC-4).
      const clock = new FakeClock('2025-03-09T04:30:00Z');
      const started = startRun(definition, manual(), 'run1', clock);
      expect(started.state.waits).toEqual([
        { id: 'run1.hello.1', stepId: 'hello', kind: 'quiet-hours', at: '2025-03-09T12:00:00.000Z' },
      ]);
      clock.set('2025-03-09T12:00:00Z');
      const sent = step(definition, started.state, { type: 'wait.elapsed', waitId: 'run1.hello.1' }, clock);
      expect(sent.effects.map((effect) => effect.type)).toEqual(['sendMessage']);
    });

    it('should answer business-hours conditions in the flow time zone', () => {
      const definition = defineFlow({
        steps: [
          {
            id: 'hours',
            type: 'branch',
            branches: [{ when: { path: 'system.businessHours', op: 'eq', value: true }, next: 'open' }],
            otherwise: 'closed',
          },
          { id: 'open', type: 'addTag', tags: ['open'], next: 'done' },
          { id: 'closed', type: 'addTag', tags: ['closed'] },
          { id: 'done', type: 'end' },
        ],
      });
      const tagAt = (iso: string) => startRun(definition, manual(), 'run1', new FakeClock(iso)).effects[0];
      expect(tagAt('2025-03-03T09:00:00Z')).toMatchObject({ tags: ['open'] });
      expect(tagAt('2025-03-03T16:00:00Z')).toMatchObject({ tags: ['closed'] });
      expect(tagAt('2025-03-08T09:00:00Z')).toMatchObject({ tags: ['closed'] });
    });
  });
});
