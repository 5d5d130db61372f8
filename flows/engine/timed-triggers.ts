import type { FlowDefinition } from '../schema/flow-schema.js';
import type {
  AppointmentUpcomingTrigger,
  DateTrigger,
  NoReplyTrigger,
  Trigger,
  TriggerType,
} from '../schema/trigger-schema.js';
import { resolveMoment } from './calendar-rules.js';
import { addDuration, canonicalDuration, durationMs } from './duration.js';
import { timedTriggerKey } from './match-trigger.js';

export type TimedTrigger = DateTrigger | AppointmentUpcomingTrigger | NoReplyTrigger;

export interface TimedTriggerSpec {
  /** Same key, same timer: several flows listening for "3 days before installment.dueAt" share one. */
  key: string;
  trigger: TimedTrigger;
  timeZone: string;
}

/**
 * What a flow listens for: its triggers when it is on (they enroll), and the events its waitFor
 * steps wait for either way (a switched-off flow's running runs still finish).
 */
function listenedFor(definition: FlowDefinition): Trigger[] {
  const waited = definition.steps.flatMap((step) => (step.type === 'waitFor' ? [step.event] : []));
  return [...(definition.enabled ? definition.triggers : []), ...waited];
}

/**
 * The timers the executor has to keep for these flows: for each spec, one per record (each
 * installment, appointment, deal or conversation) at `timedTriggerFireAt`, rescheduled when the
 * anchor changes; when it fires, it sends the event named by the trigger's type with its parameters.
 */
export function listTimedTriggers(definitions: readonly FlowDefinition[]): TimedTriggerSpec[] {
  const specs = new Map<string, TimedTriggerSpec>();
  for (const definition of definitions) {
    for (const candidate of listenedFor(definition)) {
      const timed = asTimed(candidate);
      if (!timed) continue;
      const id = `${definition.timeZone} ${timed.key}`;
      if (!specs.has(id)) specs.set(id, { ...timed, timeZone: definition.timeZone });
    }
  }
  return [...specs.values()];
}

/** Whether any of the flows listens for an event of this type (the executor skips scans nobody needs). */
export function listensFor(definitions: readonly FlowDefinition[], type: TriggerType): boolean {
  return definitions.some((definition) => listenedFor(definition).some((trigger) => trigger.type === type));
}

function asTimed(trigger: Trigger): { key: string; trigger: TimedTrigger } | undefined {
  switch (trigger.type) {
    case 'date':
      return { key: `date:${timedTriggerKey(trigger)}`, trigger };
    case 'appointment.upcoming':
      return { key: `appointment:-${canonicalDuration(trigger.before)}`, trigger };
    case 'noReply':
      return { key: `noReply:${trigger.waiting}+${canonicalDuration(trigger.after)}`, trigger };
    default:
      return undefined;
  }
}

/**
 * When a timed trigger fires for one record. The anchor is the field's date (date), the
 * appointment's start (appointment.upcoming) or the last message's time (noReply).
 */
export function timedTriggerFireAt(trigger: TimedTrigger, anchor: Date, timeZone: string): Date {
  switch (trigger.type) {
    case 'date':
      return resolveMoment({ anchor, before: trigger.before, after: trigger.after, at: trigger.at }, anchor, timeZone);
    case 'appointment.upcoming':
      return addDuration(anchor, trigger.before, timeZone, -1);
    case 'noReply':
      return addDuration(anchor, trigger.after, timeZone);
  }
}

/** Two days either side cover a moved time of day (`at`) and any DST shift of calendar days. */
const ANCHOR_MARGIN_MS = 2 * 86_400_000;

/**
 * The anchors whose fire time may fall in (from, to]: wider than exact, so a store can be asked
 * for candidates by range and each candidate checked with timedTriggerFireAt.
 */
export function timedTriggerAnchorRange(trigger: TimedTrigger, from: Date, to: Date): { from: Date; to: Date } {
  const shift = anchorShiftMs(trigger);
  return {
    from: new Date(from.getTime() + shift - ANCHOR_MARGIN_MS),
    to: new Date(to.getTime() + shift + ANCHOR_MARGIN_MS),
  };
}

/** Roughly anchor − fire time: how far the anchor lies after the moment the trigger fires. */
function anchorShiftMs(trigger: TimedTrigger): number {
  switch (trigger.type) {
    case 'date':
      return trigger.before ? durationMs(trigger.before) : trigger.after ? -durationMs(trigger.after) : 0;
    case 'appointment.upcoming':
      return durationMs(trigger.before);
    case 'noReply':
      return -durationMs(trigger.after);
  }
}
