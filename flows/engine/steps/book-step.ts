import type { BookStep } from '../../schema/book-step-schema.js';
import { addDuration, durationMs } from '../duration.js';
import type { BookingSpec, EffectOf } from '../effect-schema.js';
import type { DomainFlowEvent } from '../flow-event-schema.js';
import type { RunContext } from '../run-context.js';
import { resolveAssignee, writeValue } from './record-steps.js';
import { continueTo, WAIT, type StepOutcome } from './step-outcome.js';

const minutes = (duration: string) => Math.round(durationMs(duration) / 60_000);

/** Who the booking is for, where the chat is, and what to book, rendered in the client's language. */
function bookingTarget(ctx: RunContext, step: BookStep): Omit<EffectOf<'offerSlots'>, 'type' | 'id' | 'stepId'> {
  const language = ctx.clientLanguage();
  const conversation = ctx.state.context.conversation;
  const channel = step.channel === 'conversation' ? (conversation?.channel ?? 'preferred') : step.channel;
  const inConversation = step.channel === 'conversation' || step.channel === conversation?.channel;
  const text = (value: BookStep['text']) => value && ctx.render(value, language);
  const booking: BookingSpec = {
    calendar: resolveAssignee(ctx, step.with),
    title: ctx.render(step.title, language),
    kind: step.kind,
    format: step.format,
    ...(step.place ? { place: ctx.render(step.place, language) } : {}),
    ...(step.onlineUrl ? { onlineUrl: step.onlineUrl } : {}),
    durationMinutes: minutes(step.duration),
    days: step.days,
    offerDays: step.offerDays,
    perDay: step.perDay,
    minNoticeMinutes: minutes(step.minNotice),
    reminderMinutes: [...new Set(step.reminders.map(minutes))].sort((a, b) => b - a),
    timeZone: ctx.definition.timeZone,
    texts: {
      offer: text(step.text),
      confirm: text(step.confirmText),
      taken: text(step.takenText),
      noSlots: text(step.noSlotsText),
    },
  };
  return {
    contactId: ctx.state.subject.contactId,
    conversationId: inConversation ? ctx.conversationId() : undefined,
    dealId: ctx.dealId(),
    channel,
    language,
    booking,
  };
}

/** Asks the executor to offer the free slots, then waits for the client's choice. */
export function executeBook(ctx: RunContext, step: BookStep): StepOutcome {
  ctx.emit({ type: 'offerSlots', ...ctx.ids(step.id), ...bookingTarget(ctx, step) });
  if (step.timeout) ctx.scheduleWait(step.id, 'timeout', addDuration(ctx.now, step.timeout, ctx.definition.timeZone));
  ctx.record(step.id, 'offeredSlots');
  return WAIT;
}

/**
 * An event while the run waits on a book step: a message is the client's choice (the executor
 * reads the time and books it, or offers slots again), unless the bot answered it as a question
 * of the client's own: then the slots are offered again, as an ask step asks again;
 * `appointment.booked` moves the run on. Undefined for events that do not concern the step.
 */
export function onBookEvent(
  ctx: RunContext,
  step: BookStep,
  event: DomainFlowEvent,
  sameConversation: boolean,
): StepOutcome | undefined {
  if (event.type === 'message.received' && sameConversation && event.answered) {
    ctx.emit({ type: 'offerSlots', ...ctx.ids(step.id), ...bookingTarget(ctx, step) });
    ctx.record(step.id, 'askedAgain');
    return WAIT;
  }
  if (event.type === 'message.received' && sameConversation) {
    ctx.emit({
      type: 'bookSlot',
      ...ctx.ids(step.id),
      ...bookingTarget(ctx, step),
      choice: { text: event.text, ...(event.buttonId ? { buttonId: event.buttonId } : {}) },
    });
    ctx.record(step.id, 'chose', { choice: event.buttonId ?? event.text });
    return WAIT;
  }
  if (event.type === 'appointment.booked' && event.stepId === step.id) {
    ctx.cancelWaits((wait) => wait.stepId === step.id);
    ctx.state.context = { ...ctx.state.context, appointment: event.appointment };
    if (step.saveTo) writeValue(ctx, step.id, step.saveTo, event.appointment.startsAt);
    ctx.record(step.id, 'booked', { at: event.appointment.startsAt });
    return continueTo(ctx.after(step));
  }
  if (event.type === 'booking.noSlots' && event.stepId === step.id) {
    ctx.cancelWaits((wait) => wait.stepId === step.id);
    ctx.record(step.id, 'noSlots');
    return continueTo(step.onNoSlots ?? ctx.after(step));
  }
  return undefined;
}

export function timeOutBook(ctx: RunContext, step: BookStep): StepOutcome {
  ctx.cancelWaits((wait) => wait.stepId === step.id);
  ctx.record(step.id, 'noSlotChosen');
  return continueTo(step.onTimeout ?? ctx.after(step));
}
