import { isWithinBusinessHours } from '../engine/calendar-rules.js';
import type { EffectOf } from '../engine/effect-schema.js';
import { localClockTime, localDate } from '../engine/zoned-time.js';
import type { SimWorld, WorldEvent } from './sim-world.js';

const MINUTE = 60_000;
/** The real executor's slot buttons: `slot:<ISO instant>` (bot/assistant/booking/slot-buttons.ts). */
const SLOT_BUTTON_PREFIX = 'slot:';

/**
 * The simulator has no managers' calendars: slots are cut from the workspace's business hours,
 * minus the world's appointments, which is what the real calendars look like when every manager
 * works business hours.
 */
function simulatedSlots(world: SimWorld, booking: EffectOf<'offerSlots'>['booking'], now: Date): Date[] {
  const length = booking.durationMinutes * MINUTE;
  const hours = world.workspace.businessHours;
  const busy = [...world.appointments.values()].map((appointment) => Date.parse(appointment.startsAt));
  const first = Math.ceil((+now + booking.minNoticeMinutes * MINUTE) / length) * length;
  const slots: Date[] = [];
  for (let start = first; start < +now + booking.days * 24 * 60 * MINUTE; start += length) {
    const fits =
      isWithinBusinessHours(new Date(start), hours, booking.timeZone) &&
      isWithinBusinessHours(new Date(start + length - MINUTE), hours, booking.timeZone);
    if (fits && !busy.some((other) => Math.abs(other - start) < length)) slots.push(new Date(start));
  }
  return slots;
}

/** The first `perDay` slots of each of the first `offerDays` days (the chat spreads them over the day). */
function offered(slots: Date[], booking: EffectOf<'offerSlots'>['booking']): Date[] {
  const days = [...new Set(slots.map((slot) => localDate(slot, booking.timeZone)))].slice(0, booking.offerDays);
  return days.flatMap((day) =>
    slots.filter((slot) => localDate(slot, booking.timeZone) === day).slice(0, booking.perDay),
  );
}

const label = (slot: Date, timeZone: string) => `${localDate(slot, timeZone)} ${localClockTime(slot, timeZone)}`;

/** offerSlots and bookSlot in the simulated world: what the chat would show, and the booking it makes. */
export function simulateBooking(
  world: SimWorld,
  effect: EffectOf<'offerSlots' | 'bookSlot'>,
  now: Date,
): { events: WorldEvent[]; note: string } {
  const { booking } = effect;
  const subject = world.subject(effect.contactId, effect.dealId, effect.conversationId);
  const slots = simulatedSlots(world, booking, now);
  const list = (from: Date[]) =>
    offered(from, booking)
      .map((slot) => label(slot, booking.timeZone))
      .join(', ');
  if (slots.length === 0)
    return { events: [{ event: { type: 'booking.noSlots', subject, stepId: effect.stepId } }], note: 'no free slots' };
  if (effect.type === 'offerSlots') return { events: [], note: `offered ${list(slots)}` };

  const pressed = effect.choice.buttonId?.startsWith(SLOT_BUTTON_PREFIX)
    ? new Date(effect.choice.buttonId.slice(SLOT_BUTTON_PREFIX.length))
    : undefined;
  // A typed time needs the bot's extractors, which the simulator does without: a text with a number
  // in it stands for a time and takes the first free slot; any other text gets the slots again.
  if (!pressed && !/\d/.test(effect.choice.text))
    return { events: [], note: `no time in the answer; offered ${list(slots)}` };
  const chosen = pressed ?? slots[0]!;
  if (!slots.some((slot) => +slot === +chosen))
    return { events: [], note: `${label(chosen, booking.timeZone)} is taken; offered ${list(slots)}` };
  const appointment = {
    id: `appt-${effect.id}`,
    contactId: effect.contactId,
    ...(effect.dealId ? { dealId: effect.dealId } : {}),
    title: booking.title,
    startsAt: chosen.toISOString(),
    ...(booking.place ? { place: booking.place } : {}),
  };
  world.appointments.set(appointment.id, appointment);
  const endsAt = new Date(+chosen + booking.durationMinutes * MINUTE).toISOString();
  return {
    events: [
      {
        event: { type: 'appointment.booked', subject, stepId: effect.stepId, appointment: { ...appointment, endsAt } },
        extra: { appointment: { ...appointment, endsAt, status: 'planned' } },
      },
    ],
    note: `booked ${label(chosen, booking.timeZone)}${pressed ? '' : ' (a typed time: the first free slot)'}`,
  };
}
