import type { FlowDefinition } from '../schema/flow-schema.js';
import type { LocalizedText } from '../schema/primitive-schemas.js';
import type { Step } from '../schema/step-schema.js';
import type { Effect } from './effect-schema.js';
import type { DomainFlowEvent } from './flow-event-schema.js';
import { historyText, type HistoryCode, type HistoryParams } from './history-notes.js';
import { renderTemplate } from './render-template.js';
import { resolvePath, withValueAt, type Scope } from './resolve-path.js';
import type { PendingWait, RunState, WaitKind } from './run-state-schema.js';
import { contactSnapshotSchema, dealSnapshotSchema, type Snapshot } from './snapshot-schema.js';
import { followingStepId } from './step-graph.js';
import { systemValues, whatsappWindowOpen } from './system-values.js';

const HISTORY_LIMIT = 200;

/**
 * The working copy of a run during one engine call: the state being changed, the effects being
 * collected, and the helpers steps share (ids, waits, history, the values conditions read).
 */
export class RunContext {
  readonly effects: Effect[] = [];

  constructor(
    readonly definition: FlowDefinition,
    public state: RunState,
    readonly now: Date,
    /** The domain event being handled, if any (not for a timer). */
    readonly event: DomainFlowEvent | undefined,
  ) {}

  /** `<run>.<step>.<n>`: unique within the run and the same on a replay; never contains ':' (BullMQ). */
  nextId(stepId: string): string {
    this.state.seq += 1;
    return `${this.state.runId}.${stepId}.${this.state.seq}`;
  }

  ids(stepId: string): { id: string; stepId: string } {
    return { id: this.nextId(stepId), stepId };
  }

  emit(effect: Effect): void {
    this.effects.push(effect);
  }

  record<C extends HistoryCode>(step: string, code: C, ...params: HistoryParams<C>): void {
    const values = params[0] as Record<string, string | number | undefined> | undefined;
    const defined = values
      ? Object.fromEntries(
          Object.entries(values).filter((entry): entry is [string, string | number] => entry[1] !== undefined),
        )
      : undefined;
    this.state.history.push({
      step,
      at: this.now.toISOString(),
      result: historyText(code, ...params),
      code,
      ...(defined ? { params: defined } : {}),
    });
    if (this.state.history.length > HISTORY_LIMIT)
      this.state.history.splice(0, this.state.history.length - HISTORY_LIMIT);
  }

  scheduleWait(stepId: string, kind: WaitKind, at: Date): PendingWait {
    const wait = { id: this.nextId(stepId), stepId, kind, at: at.toISOString() };
    this.state.waits.push(wait);
    this.emit({ type: 'scheduleWait', id: wait.id, stepId, kind, at: wait.at });
    return wait;
  }

  cancelWaits(predicate: (wait: PendingWait) => boolean = () => true): void {
    const cancelled = this.state.waits.filter(predicate);
    this.state.waits = this.state.waits.filter((wait) => !predicate(wait));
    for (const wait of cancelled) this.emit({ type: 'cancelWait', ...this.ids(wait.stepId), waitId: wait.id });
  }

  stepById(id: string): Step | undefined {
    return this.definition.steps.find((step) => step.id === id);
  }

  /** Where a step goes on: its `next`, or the following step in the list. */
  after(step: Step): string | undefined {
    const explicit = 'next' in step ? step.next : undefined;
    return explicit ?? followingStepId(this.definition, step.id);
  }

  /** Takes in the records an event brought: each root present replaces the one known. */
  absorb(snapshot: Snapshot | undefined): void {
    if (!snapshot) return;
    this.state.context = { ...this.state.context, ...snapshot };
  }

  /** Updates the run's own view after one of its effects (the executor's next snapshot agrees). */
  setContextValue(path: string, value: unknown): void {
    const [root, ...rest] = path.split('.');
    if (root === 'vars') {
      this.state.vars = withValueAt(this.state.vars, rest, value);
      return;
    }
    if (root === 'contact') {
      const current = this.state.context.contact ?? { id: this.state.subject.contactId };
      const parsed = contactSnapshotSchema.safeParse(withValueAt({ ...current }, rest, value));
      // A value of the wrong type for a known property stays the executor's business.
      if (parsed.success) this.state.context = { ...this.state.context, contact: parsed.data };
    }
    if (root === 'deal') {
      const current = this.state.context.deal ?? { id: this.dealId() ?? '' };
      const parsed = dealSnapshotSchema.safeParse(withValueAt({ ...current }, rest, value));
      if (parsed.success) this.state.context = { ...this.state.context, deal: parsed.data };
    }
  }

  dealId(): string | undefined {
    return this.state.subject.dealId ?? this.state.context.deal?.id;
  }

  conversationId(): string | undefined {
    return this.state.subject.conversationId ?? this.state.context.conversation?.id;
  }

  /** The client's language for messages; staff texts use the workspace language. */
  clientLanguage(): 'ru' | 'en' {
    return this.state.context.contact?.language ?? this.definition.language;
  }

  whatsappWindowOpen(): boolean | undefined {
    return whatsappWindowOpen(this.state.context.conversation, this.now);
  }

  scope(): Scope {
    return {
      ...this.state.context,
      vars: this.state.vars,
      event: this.state.event,
      system: systemValues(this.definition, this.now, this.state.context.conversation),
    };
  }

  read(path: string): unknown {
    return resolvePath(this.scope(), path);
  }

  /** A localized text in the given language (Russian when there is no English), placeholders filled. */
  render(text: LocalizedText, language: 'ru' | 'en'): string {
    const chosen = language === 'en' && text.en ? text.en : text.ru;
    return this.renderString(chosen, language);
  }

  renderString(text: string, language: 'ru' | 'en'): string {
    return renderTemplate(text, this.scope(), { timeZone: this.definition.timeZone, language });
  }
}
