import type { Trigger } from '../schema/trigger-schema.js';
import { canonicalDuration } from './duration.js';
import { looselyEqual } from './evaluate-condition.js';
import type { FlowEvent } from './flow-event-schema.js';

/** Whether an event is one the trigger (or a waitFor step's `event`) listens for. */
export function matchesTrigger(trigger: Trigger, event: FlowEvent): boolean {
  switch (trigger.type) {
    case 'message.received': {
      if (event.type !== 'message.received') return false;
      if (trigger.mode === 'first' && !event.first) return false;
      if (trigger.channels && !trigger.channels.includes(event.channel)) return false;
      const text = normalizeText(event.text);
      if (trigger.keywords && !trigger.keywords.some((keyword) => text.includes(normalizeText(keyword)))) return false;
      if (trigger.regex && !new RegExp(trigger.regex, 'iu').test(event.text)) return false;
      if (trigger.startPayload !== undefined) return payloadMatches(trigger.startPayload, startPayloadOf(event));
      return true;
    }
    case 'message.sent':
      return (
        event.type === 'message.sent' &&
        (trigger.by === 'any' || trigger.by === event.by) &&
        (!trigger.channels || trigger.channels.includes(event.channel))
      );
    case 'stage.entered':
      return (
        event.type === 'stage.entered' &&
        event.pipeline === trigger.pipeline &&
        (trigger.stage === undefined || event.stage === trigger.stage) &&
        (!event.existing || trigger.includeExisting)
      );
    case 'stage.left':
      return (
        event.type === 'stage.left' &&
        event.pipeline === trigger.pipeline &&
        (trigger.stage === undefined || event.stage === trigger.stage)
      );
    case 'field.changed':
      return (
        event.type === 'field.changed' &&
        event.field === trigger.field &&
        (trigger.from === undefined || looselyEqual(event.from, trigger.from)) &&
        (trigger.to === undefined || looselyEqual(event.to, trigger.to))
      );
    case 'form.submitted':
      return event.type === 'form.submitted' && (trigger.form === undefined || trigger.form === event.form);
    case 'lead.created':
      return event.type === 'lead.created' && (!trigger.sources || trigger.sources.some(coversSource(event.source)));
    case 'date':
      return event.type === 'date.reached' && timedTriggerKey(trigger) === timedTriggerKey(event);
    case 'task.overdue':
    case 'task.completed':
      return event.type === trigger.type && (!trigger.kinds || trigger.kinds.includes(event.kind));
    case 'noReply':
      return (
        event.type === 'noReply' &&
        event.waiting === trigger.waiting &&
        canonicalDuration(event.after) === canonicalDuration(trigger.after)
      );
    case 'appointment.upcoming':
      return (
        event.type === 'appointment.upcoming' && canonicalDuration(event.before) === canonicalDuration(trigger.before)
      );
    case 'webhook':
      return event.type === 'webhook' && event.key === trigger.key;
    case 'manual':
      return event.type === 'manual' && event.fromFlow === undefined;
    case 'payment.received':
    case 'payment.overdue':
    case 'conversation.takenOver':
      return event.type === trigger.type;
  }
}

/**
 * Identifies a date trigger by what it waits for; the executor schedules one timer per key and
 * record and sends `date.reached` with the same field/before/after/at.
 */
export function timedTriggerKey(spec: { field: string; before?: string; after?: string; at?: string }): string {
  const offset = spec.before
    ? `-${canonicalDuration(spec.before)}`
    : spec.after
      ? `+${canonicalDuration(spec.after)}`
      : '';
  return `${spec.field}${offset}${spec.at ? `@${spec.at}` : ''}`;
}

/** Lower case, ё as е, single spaces: "Хочу  ЗАМЕР" finds "хочу замер". */
function normalizeText(text: string): string {
  return text.toLocaleLowerCase('ru').replaceAll('ё', 'е').replace(/\s+/g, ' ').trim();
}

/** Telegram deep links arrive as the text "/start <payload>" (Bot API, "Deep linking"). */
export function startPayloadOf(event: Extract<FlowEvent, { type: 'message.received' }>): string | undefined {
  if (event.startPayload !== undefined) return event.startPayload;
  const match = /^\/start(?:@\w+)?\s+(\S+)/.exec(event.text);
  return match?.[1];
}

function payloadMatches(pattern: string, payload: string | undefined): boolean {
  if (payload === undefined) return false;
  return pattern.endsWith('*') ? payload.startsWith(pattern.slice(0, -1)) : payload === pattern;
}

/**
 * A listed source covers a lead's source when equal, or when it is its kind: leads are named
 * `form:<form>` and `<kind>:<partner>` (`exhibition:ecoexpo`), and `form` or `exhibition` in a flow
 * means every one of them.
 */
function coversSource(source: string): (listed: string) => boolean {
  return (listed) => listed === source || (!listed.includes(':') && source.startsWith(`${listed}:`));
}
