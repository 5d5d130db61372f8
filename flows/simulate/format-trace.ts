import type { Effect } from '../engine/effect-schema.js';
import type { DomainFlowEvent } from '../engine/flow-event-schema.js';
import { formatLocalDate, localClockTime } from '../engine/zoned-time.js';
import type { TraceEntry } from './simulate.js';

/** The trace as lines for people: local time, then what happened. */
export function formatTrace(trace: readonly TraceEntry[], timeZone: string): string[] {
  const when = (iso: string) => {
    const date = new Date(iso);
    return `${formatLocalDate(date, timeZone, 'en')} ${localClockTime(date, timeZone)}`;
  };
  return trace.map((entry) => {
    const at = when(entry.at);
    switch (entry.kind) {
      case 'event':
        return `${at}  ● ${describeEvent(entry.event)}`;
      case 'enrolled':
        return `${at}    ${entry.runId}: enrolled`;
      case 'not-enrolled':
        return `${at}    ${entry.flowId}: not enrolled (${entry.reason})`;
      case 'step':
        return `${at}    ${entry.runId} · ${entry.step}: ${entry.result}`;
      case 'effect':
        return `${at}    ${entry.runId} ⇒ ${describeEffect(entry.effect, when)}${entry.note ? ` ${entry.note}` : ''}`;
      case 'ended':
        return `${at}    ${entry.runId}: ${entry.status}${entry.reason ? ` (${entry.reason})` : ''}`;
    }
  });
}

function describeEvent(event: DomainFlowEvent): string {
  const who = [`contact ${event.subject.contactId}`, event.subject.dealId && `deal ${event.subject.dealId}`]
    .filter(Boolean)
    .join(', ');
  const detail = eventDetail(event);
  return `${event.type}${detail ? ` ${detail}` : ''} (${who})`;
}

function eventDetail(event: DomainFlowEvent): string {
  switch (event.type) {
    case 'message.received':
      return `"${event.text}"${event.buttonId ? ` [${event.buttonId}]` : ''}`;
    case 'stage.entered':
    case 'stage.left':
      return `${event.pipeline}/${event.stage}`;
    case 'field.changed':
      return `${event.field} = ${JSON.stringify(event.to)}`;
    case 'date.reached':
      return event.field;
    case 'task.overdue':
    case 'task.completed':
      return event.taskId;
    case 'manual':
      return event.flowId;
    default:
      return '';
  }
}

export function describeEffect(effect: Effect, when: (iso: string) => string = (iso) => iso): string {
  switch (effect.type) {
    case 'sendMessage': {
      const buttons = effect.buttons.length ? ` [${effect.buttons.map((button) => button.text).join(' | ')}]` : '';
      return `sendMessage (${effect.channel}, ${effect.purpose}) "${effect.text}"${buttons}`;
    }
    case 'createTask':
      return `createTask "${effect.title}" (${effect.kind})${effect.dueAt ? ` due ${when(effect.dueAt)}` : ''}`;
    case 'moveStage':
      return `moveStage ${effect.pipeline ? `${effect.pipeline}/` : ''}${effect.stage}`;
    case 'copyDeal':
      return `copyDeal → ${effect.pipeline}${effect.stage ? `/${effect.stage}` : ''}`;
    case 'markWon':
      return 'markWon';
    case 'markLost':
      return `markLost (${effect.reasonName.ru})`;
    case 'setField':
      return `setField ${effect.entity}.${effect.field} = ${JSON.stringify(effect.value)}`;
    case 'addTags':
      return `addTags ${effect.tags.join(', ')}`;
    case 'removeTags':
      return `removeTags ${effect.tags.join(', ')}`;
    case 'assign':
      return `assign ${effect.target}`;
    case 'handoff':
      return `handoff${effect.note ? ` "${effect.note}"` : ''}`;
    case 'notify':
      return `notify "${effect.text}"`;
    case 'callWebhook':
      return `callWebhook ${effect.method} ${effect.url}`;
    case 'enroll':
      return `enroll → ${effect.flowId}`;
    case 'unenroll':
      return `unenroll ← ${effect.flowId}`;
    case 'scheduleWait':
      return `scheduleWait ${effect.id} at ${when(effect.at)}`;
    case 'cancelWait':
      return `cancelWait ${effect.waitId}`;
    case 'offerSlots':
      return `offerSlots "${effect.booking.title}" (${effect.booking.durationMinutes} min, ${effect.channel})`;
    case 'bookSlot':
      return `bookSlot "${effect.choice.buttonId ?? effect.choice.text}"`;
  }
}
