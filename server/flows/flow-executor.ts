import { createHash } from 'node:crypto';
import {
  exitRun,
  runSubjectKey,
  shouldEnroll,
  startRun,
  step,
  type Clock,
  type DomainFlowEvent,
  type Effect,
  type FlowDefinition,
  type RunState,
  type StepResult,
  defaultAnswerParser,
  type AnswerParser,
} from '../../flows/index.js';
import { localDate } from '../../flows/engine/zoned-time.js';
import type { FrontDoorGate } from './front-door-gate.js';
import { openQuestions } from './open-questions.js';
import type { ApiServices } from '../api/api-services.js';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import { buildSnapshot } from './build-snapshot.js';
import { latestDefinitions, pinnedDefinition, toDefinition } from './flow-definitions.js';
import { flowRunModel, type FlowRunRecord } from './flow-run-model.js';
import { performFlowEffect } from './perform-flow-effect.js';
import { RunBusyError } from './run-busy-error.js';
import type { SkipReason } from './skip-reasons.js';

/** How many applied event ids and performed effect ids a run remembers (enough for any retry). */
const REMEMBERED = 500;

const running = (state: RunState) => state.status === 'active' || state.status === 'waiting';

/**
 * The durable twin of flows/simulate: every event goes to every flow (to the subject's running
 * run, and/or starts a new one), each run's new state is stored together with the effects it
 * asks for (an outbox), then the effects are performed one by one and ticked off.
 *
 * Exactly-once, step by step:
 * - an event is applied to a run at most once: the run keeps the ids of the events it applied,
 *   and its write is conditional on the `rev` it read (the optimistic per-run lock);
 * - a run is started at most once per event and flow: its id is a hash of both;
 * - an effect is in the outbox from the moment its step is stored, so a crash loses none; it is
 *   ticked off after it is performed, so a crash between the two performs it again on the retry,
 *   and each effect is idempotent by its id (task sourceKey, message dedupeKey, job id, $set /
 *   $addToSet); only callWebhook, which cannot be made idempotent from our side, is ticked off
 *   before the call (at most once, as the core's fire-and-forget contract says).
 */
export class FlowExecutor {
  readonly clock: Clock = { now: () => new Date() };

  constructor(
    private readonly services: ApiServices,
    /** Reads answers to ask steps; the bot's extractors plug in here. */
    private readonly answers: AnswerParser = defaultAnswerParser,
    /** Sees a client's message before the flows do (the front-door bot); none by default. */
    private readonly frontDoor?: FrontDoorGate,
  ) {}

  async handleEvent(raw: DomainFlowEvent & { id: string }): Promise<void> {
    let event = raw;
    if (event.type === 'message.received') {
      const outcome = await this.frontDoor?.receive(event);
      // A person taking over ends the bot's questions before this message could answer one.
      if (outcome === 'handed-over')
        await this.handleEvent({ id: `${event.id}.takeover`, type: 'conversation.takenOver', subject: event.subject });
      if (outcome === 'answered') event = { ...event, answered: true };
    }
    for (const record of await latestDefinitions(this.services.db)) await this.deliver(toDefinition(record), event);
  }

  /** A wait's delayed job came due: `wait.elapsed` for its run (nothing when the run ended). */
  async handleWait(runId: string, waitId: string): Promise<void> {
    await this.drain(runId);
    const Run = await flowRunModel(this.services.db);
    const run = await Run.findById(runId).lean<FlowRunRecord>();
    const eventId = `wait.${waitId}`;
    if (!run || !running(run.state) || run.events.includes(eventId)) return;
    const definition = await this.pinned(run);
    const snapshot = await buildSnapshot(this.services.db, run.state.subject);
    await this.commit(
      run,
      step(definition, run.state, { type: 'wait.elapsed', waitId, snapshot }, this.clock),
      eventId,
    );
    await this.drain(runId);
  }

  /** Stops the subject's running run of a flow (another flow's `leave` step). */
  async unenroll(flowId: string, subject: DomainFlowEvent['subject'], eventId: string): Promise<void> {
    const records = await latestDefinitions(this.services.db);
    const latest = records.find((record) => record.flowId === flowId);
    const key = latest && runSubjectKey(latest.definition, subject);
    if (!key) return;
    const Run = await flowRunModel(this.services.db);
    const run = await Run.findOne({ activeKey: key }).lean<FlowRunRecord>();
    if (!run || run.events.includes(eventId)) return;
    await this.commit(run, exitRun(await this.pinned(run), run.state, 'left', this.clock), eventId);
    await this.drain(run._id);
  }

  private async deliver(latest: FlowDefinition, raw: DomainFlowEvent & { id: string }): Promise<void> {
    const key = runSubjectKey(latest, raw.subject);
    if (!key) return;
    const Run = await flowRunModel(this.services.db);
    const runs = await Run.find({ subjectKey: key })
      .select({ _id: 1, status: 1, activeKey: 1, 'state.startedAt': 1, 'state.endedAt': 1 })
      .lean<Pick<FlowRunRecord, '_id' | 'status' | 'activeKey' | 'state'>[]>();
    const snapshot = await buildSnapshot(this.services.db, raw.subject, raw.snapshot);
    const event = { ...raw, snapshot };
    const now = this.clock.now();
    const priors = runs.map((run) => ({
      runId: run._id,
      status: run.status,
      startedAt: run.state.startedAt,
      ...(run.state.endedAt ? { endedAt: run.state.endedAt } : {}),
    }));
    const decision = shouldEnroll(latest, event, { now, runs: priors });
    const activeId = runs.find((run) => run.activeKey)?._id;
    if (activeId) {
      await this.drain(activeId);
      const run = await Run.findById(activeId).lean<FlowRunRecord>();
      if (run && run.activeKey && !run.events.includes(event.id)) {
        const definition = await this.pinned(run);
        const replaced = decision.enroll && decision.replaceRunId === run._id;
        const result = replaced
          ? exitRun(definition, run.state, 're-enrolled', this.clock)
          : step(definition, run.state, await this.understand(definition, run.state, event), this.clock);
        await this.commit(run, result, event.id);
      }
      await this.drain(activeId);
    }
    if (decision.enroll) await this.start(latest, await this.understand(latest, undefined, event), decision.subjectKey);
  }

  private async start(definition: FlowDefinition, event: DomainFlowEvent & { id: string }, subjectKey: string) {
    const Run = await flowRunModel(this.services.db);
    const runId = `r${createHash('sha256').update(`${definition.id}|${event.id}`).digest('base64url').slice(0, 24)}`;
    if (!(await Run.exists({ _id: runId }))) {
      const result = startRun(definition, event, runId, this.clock);
      const { state } = result;
      try {
        await Run.create({
          _id: runId,
          flowId: definition.id,
          flowVersion: definition.version,
          subjectKey,
          ...(running(state) ? { activeKey: subjectKey } : {}),
          contactId: state.subject.contactId,
          ...(state.subject.dealId ? { dealId: state.subject.dealId } : {}),
          ...(event.type === 'manual' && event.campaignId ? { campaignId: event.campaignId } : {}),
          status: state.status,
          state,
          rev: 1,
          pending: result.effects,
          done: [],
          events: [event.id],
          skipped: [],
        });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Another run of this flow for the subject became active first (or our earlier try stored this one).
        if (!(await Run.exists({ _id: runId }))) {
          this.services.logger.info({ flowId: definition.id, subjectKey }, 'flow already running for the subject');
          return;
        }
      }
    }
    await this.drain(runId);
  }

  /** Stores a run's new state with its effects in the outbox, if nobody changed the run since it was read. */
  private async commit(run: FlowRunRecord, result: StepResult, eventId: string): Promise<void> {
    const Run = await flowRunModel(this.services.db);
    const { state } = result;
    const update = {
      $set: {
        state,
        status: state.status,
        rev: run.rev + 1,
        pending: [...run.pending.filter((effect) => !run.done.includes(effect.id)), ...result.effects],
        events: [...run.events, eventId].slice(-REMEMBERED),
        ...(state.subject.dealId ? { dealId: state.subject.dealId } : {}),
      },
      ...(running(state) ? {} : { $unset: { activeKey: 1 } }),
    };
    const written = await Run.updateOne({ _id: run._id, rev: run.rev }, update);
    if (written.matchedCount === 0) throw new RunBusyError(run._id);
  }

  /** Performs the run's outbox in order, ticking each effect off after it is done (see the class comment). */
  async drain(runId: string): Promise<void> {
    const Run = await flowRunModel(this.services.db);
    for (;;) {
      const run = await Run.findById(runId).lean<FlowRunRecord>();
      const effect = run?.pending[0];
      if (!run || !effect) return;
      const atMostOnce = effect.type === 'callWebhook';
      if (atMostOnce && !(await this.tickOff(run, effect, undefined))) continue;
      const outcome = run.done.includes(effect.id) ? undefined : await performFlowEffect(this.services, run, effect);
      if (!atMostOnce) await this.tickOff(run, effect, outcome?.skipped);
    }
  }

  /** Moves an effect from the outbox to the done list; false when the run changed meanwhile. */
  private async tickOff(run: FlowRunRecord, effect: Effect, skipped: SkipReason | undefined): Promise<boolean> {
    const Run = await flowRunModel(this.services.db);
    const entry = skipped && {
      effectId: effect.id,
      stepId: effect.stepId,
      type: effect.type,
      reason: skipped.text,
      code: skipped.code,
      ...(skipped.params ? { params: skipped.params } : {}),
      at: new Date(),
    };
    const written = await Run.updateOne(
      { _id: run._id, rev: run.rev },
      {
        $set: {
          rev: run.rev + 1,
          pending: run.pending.filter((candidate) => candidate.id !== effect.id),
          done: [...run.done.filter((id) => id !== effect.id), effect.id].slice(-REMEMBERED),
          ...(entry ? { skipped: [...run.skipped, entry] } : {}),
        },
      },
    );
    return written.matchedCount === 1;
  }

  /**
   * A client's message carries, per run, what the answer parser read in it: the answer to the ask
   * step the run waits on, and the answers to the flow's other open questions it already gives.
   * `state` is absent for a run the message is about to start.
   */
  private async understand<E extends DomainFlowEvent>(
    definition: FlowDefinition,
    state: RunState | undefined,
    event: E,
  ): Promise<E> {
    if (event.type !== 'message.received' || event.answered) return event;
    const context = state ? { ...state.context, vars: state.vars } : { ...event.snapshot, vars: {} };
    const asked = state?.status === 'waiting' ? definition.steps.find((item) => item.id === state.cursor) : undefined;
    const current = asked?.type === 'ask' ? asked : undefined;
    const base = {
      locale: context.contact?.language ?? definition.language,
      today: localDate(this.clock.now(), definition.timeZone),
      timeZone: definition.timeZone,
    };
    let answer = current
      ? await this.answers.parseAnswer(current.answer, event.text, {
          ...base,
          ...(event.buttonId ? { buttonId: event.buttonId } : {}),
          buttons: current.buttons ?? [],
          ...(current.saveTo ? { saveTo: current.saveTo } : {}),
        })
      : undefined;
    const questions = openQuestions(definition, context);
    const found =
      questions.length && this.answers.findAnswers ? await this.answers.findAnswers(event.text, questions, base) : {};
    if (current) {
      const inText = found[current.id];
      if (answer && !answer.ok && inText !== undefined) answer = { ok: true, value: inText };
      delete found[current.id];
    }
    return {
      ...event,
      ...(answer ? { answer } : {}),
      ...(Object.keys(found).length ? { found } : {}),
    };
  }

  private async pinned(run: FlowRunRecord): Promise<FlowDefinition> {
    const definition = await pinnedDefinition(this.services.db, run.flowId, run.flowVersion);
    if (!definition) throw new Error(`Flow ${run.flowId} v${run.flowVersion} of run ${run._id} is not stored`);
    return definition;
  }
}
