import type { FlowDefinition } from '../schema/flow-schema.js';
import type { AppointmentUpcomingTrigger, DateTrigger, NoReplyTrigger } from '../schema/trigger-schema.js';
import { resolveMoment } from './calendar-rules.js';
import { addDuration, canonicalDuration } from './duration.js';
import { timedTriggerKey } from './match-trigger.js';

export type TimedTrigger = DateTrigger | AppointmentUpcomingTrigger | NoReplyTrigger;

export interface TimedTriggerSpec {
  /** Same key, same timer: several flows listening for "3 days before installment.dueAt" share one. */
  key: string;
  trigger: TimedTrigger;
  timeZone: string;
}

/**
 * The timers the executor has to keep for these flows: for each spec, one per record (each
 * installment, appointment, deal or conversation) at `timedTriggerFireAt`, rescheduled when the
 * anchor changes; when it fires, it sends the event named by the trigger's type with its parameters.
 */
export function listTimedTriggers(definitions: readonly FlowDefinition[]): TimedTriggerSpec[] {
  const specs = new Map<string, TimedTriggerSpec>();
  for (const definition of definitions) {
    if (!definition.enabled) continue;
    for (const candidate of definition.triggers) {
      const timed = asTimed(candidate);
      if (!timed) continue;
      const id = `${definition.timeZone} ${timed.key}`;
      if (!specs.has(id)) specs.set(id, { ...timed, timeZone: definition.timeZone });
    }
  }
  return [...specs.values()];
}

function asTimed(trigger: FlowDefinition['triggers'][number]): { key: string; trigger: TimedTrigger } | undefined {
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
