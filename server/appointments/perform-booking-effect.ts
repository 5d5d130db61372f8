import { DateTime } from 'luxon';
import { Types } from 'mongoose';
import type { EffectOf } from '../../flows/index.js';
import { appointmentButtons, readAppointmentButton } from '../../bot/assistant/booking/appointment-buttons.js';
import { bookSlot, findFreeSlots, type SlotSearch } from '../../bot/assistant/booking/book-slot.js';
import { BOOKING_TEXTS, describeMeeting } from '../../bot/assistant/booking/booking-texts.js';
import type { FreeSlot } from '../../bot/assistant/booking/free-slots.js';
import { dayOfferMessage } from '../../bot/assistant/booking/day-offer-message.js';
import { readChosenTime } from '../../bot/assistant/booking/read-chosen-time.js';
import { slotOfferMessage } from '../../bot/assistant/booking/slot-offer-message.js';
import type { ApiServices } from '../api/api-services.js';
import { buildSnapshot } from '../flows/build-snapshot.js';
import { enqueueFlowEvent } from '../flows/flow-jobs.js';
import type { FlowRunRecord } from '../flows/flow-run-model.js';
import { appointmentModel, type AppointmentRecord } from './appointment-model.js';
import { calendarManagerIds } from './calendar-manager-ids.js';
import { messageContact } from '../messaging/message-contact.js';
import { syncAppointmentFollowUps } from './sync-appointment-follow-ups.js';
import { skip } from '../flows/skip-reasons.js';
import type { EffectOutcome } from '../flows/perform-flow-effect.js';

type BookingEffect = EffectOf<'offerSlots' | 'bookSlot'>;
/** As far ahead as a slot search goes (bookingSettingsSchema's `days`). */
const MAX_SEARCH_DAYS = 60;
/** Why nothing was sent, when the channel refused it for good. */
type Outcome = EffectOutcome;

/**
 * The executor's side of a flow's book step (flows/engine/steps/book-step.ts): offers the free
 * slots as buttons, books the time the client chose atomically (bookSlot: of two clients racing
 * for a slot exactly one gets it, the other is offered the next ones), confirms it with the
 * Reschedule / Cancel buttons, puts the manager's task and the reminders in place, and tells the
 * run (`appointment.booked`, or `booking.noSlots`). Idempotent by the effect's id like every effect.
 */
export async function performBookingEffect(
  services: ApiServices,
  run: FlowRunRecord,
  effect: BookingEffect,
): Promise<Outcome> {
  // A Reschedule / Cancel button of an earlier booking is answered by answerAppointmentButtons.
  if (effect.type === 'bookSlot' && readAppointmentButton(effect.choice.buttonId)) return skip('appointmentButton');
  const search = await slotSearch(services, run, effect);
  if (effect.type === 'offerSlots') return offerSlots(services, run, effect, search);
  return bookChosenSlot(services, run, effect, search);
}

async function slotSearch(services: ApiServices, run: FlowRunRecord, effect: BookingEffect): Promise<SlotSearch> {
  const { booking } = effect;
  const managerIds = await calendarManagerIds(
    services.db,
    booking.calendar,
    await buildSnapshot(services.db, run.state.subject),
  );
  return {
    settings: {
      slotMinutes: booking.durationMinutes,
      minNoticeMinutes: booking.minNoticeMinutes,
      days: booking.days,
      reminders: booking.reminderMinutes,
      ...(managerIds ? { managerIds } : {}),
    },
    now: new Date(),
    clientTimeZone: booking.timeZone,
  };
}

const chatOf = (effect: BookingEffect) => ({
  contactId: effect.contactId,
  ...(effect.conversationId ? { conversationId: effect.conversationId } : {}),
  channel: effect.channel,
});

function offer(effect: BookingEffect, intro: string, slots: readonly FreeSlot[]) {
  const { booking, language } = effect;
  return slotOfferMessage(intro, slots, {
    timeZone: booking.timeZone,
    language,
    offerDays: booking.offerDays,
    perDay: booking.perDay,
  });
}

async function offerSlots(
  services: ApiServices,
  run: FlowRunRecord,
  effect: EffectOf<'offerSlots'>,
  search: SlotSearch,
): Promise<Outcome> {
  const { booking, language } = effect;
  const slots = await findFreeSlots(services.db, search);
  if (slots.length === 0) {
    const text = booking.texts.noSlots ?? BOOKING_TEXTS.noSlots[language];
    const sent = await messageContact(
      services,
      chatOf(effect),
      { text },
      { dedupeKey: `flow|${effect.id}`, authorName: 'booking' },
    );
    await enqueueFlowEvent(services.queues, {
      id: `${effect.id}.no-slots`,
      type: 'booking.noSlots',
      subject: run.state.subject,
      stepId: effect.stepId,
    });
    return sent;
  }
  const sent = await messageContact(
    services,
    chatOf(effect),
    offer(effect, booking.texts.offer ?? BOOKING_TEXTS.offer[language], slots),
    { dedupeKey: `flow|${effect.id}`, authorName: 'booking' },
  );
  return sent;
}

/** The slot search stretched to reach the day the client named, however far it is (up to the search's limit). */
function reaching(search: SlotSearch, date: string, timeZone: string): SlotSearch {
  const today = DateTime.fromJSDate(search.now, { zone: timeZone }).startOf('day');
  const ahead = Math.ceil(DateTime.fromISO(date, { zone: timeZone }).diff(today, 'days').days) + 1;
  const days = Math.min(MAX_SEARCH_DAYS, Math.max(search.settings.days ?? 0, ahead));
  return { ...search, settings: { ...search.settings, days } };
}

async function bookChosenSlot(
  services: ApiServices,
  run: FlowRunRecord,
  effect: EffectOf<'bookSlot'>,
  search: SlotSearch,
): Promise<Outcome> {
  const { booking, language } = effect;
  const sourceKey = `flow|${run._id}|${effect.stepId}`;
  const Appointment = await appointmentModel(services.db);
  const earlier = await Appointment.findOne({ sourceKey }).lean<AppointmentRecord>();
  if (earlier) return confirmBooking(services, run, effect, earlier);

  const chosen = readChosenTime(effect.choice, { language, now: search.now, timeZone: booking.timeZone });
  if (chosen?.type === 'day') {
    const lastDay = DateTime.fromISO(chosen.date, { zone: booking.timeZone }).plus({ days: chosen.days - 1 });
    const slots = await findFreeSlots(
      services.db,
      reaching(search, lastDay.toISODate() ?? chosen.date, booking.timeZone),
    );
    const { timeZone, offerDays, perDay } = booking;
    return messageContact(
      services,
      chatOf(effect),
      dayOfferMessage(chosen.date, slots, { timeZone, language, offerDays, perDay }, chosen.days),
      { dedupeKey: `flow|${effect.id}`, authorName: 'booking' },
    );
  }
  if (!chosen) {
    const slots = await findFreeSlots(services.db, search);
    return messageContact(services, chatOf(effect), offer(effect, BOOKING_TEXTS.retry[language], slots), {
      dedupeKey: `flow|${effect.id}`,
      authorName: 'booking',
    });
  }
  const { startsAt } = chosen;
  const result = await bookSlot(
    services.db,
    {
      startsAt,
      title: booking.title,
      contactId: effect.contactId,
      ...(effect.dealId ? { dealId: effect.dealId } : {}),
      ...(booking.format === 'online' && booking.onlineUrl ? { onlineUrl: booking.onlineUrl } : {}),
      ...(booking.format !== 'online' && booking.place ? { place: booking.place } : {}),
      ...(effect.conversationId
        ? {
            chat: {
              conversationId: new Types.ObjectId(effect.conversationId),
              language,
              timeZone: booking.timeZone,
              taskKind: booking.kind,
              format: booking.format,
              days: booking.days,
            },
          }
        : {}),
      sourceKey,
    },
    search,
  );
  if (!result.ok) {
    // A typed time that was never free: the nearest slots after it rather than from today.
    const later = result.next.filter((slot) => slot.startsAt >= startsAt);
    const sent = await messageContact(
      services,
      chatOf(effect),
      offer(effect, booking.texts.taken ?? BOOKING_TEXTS.taken[language], later.length ? later : result.next),
      { dedupeKey: `flow|${effect.id}`, authorName: 'booking' },
    );
    return sent;
  }
  return confirmBooking(services, run, effect, result.appointment);
}

async function confirmBooking(
  services: ApiServices,
  run: FlowRunRecord,
  effect: EffectOf<'bookSlot'>,
  appointment: AppointmentRecord,
): Promise<Outcome> {
  const { booking, language } = effect;
  const id = String(appointment._id);
  await syncAppointmentFollowUps(services, appointment);
  const details = describeMeeting({ ...appointment, format: booking.format }, booking.timeZone, language);
  const sent = await messageContact(
    services,
    chatOf(effect),
    {
      text: `${booking.texts.confirm ?? BOOKING_TEXTS.confirm[language]}\n${details}`,
      buttons: appointmentButtons(id, language),
    },
    { dedupeKey: `appointment|${id}|booked`, authorName: 'booking' },
  );
  await enqueueFlowEvent(services.queues, {
    id: `appointment-${id}-booked`,
    type: 'appointment.booked',
    subject: run.state.subject,
    stepId: effect.stepId,
    appointment: {
      id,
      title: appointment.title,
      startsAt: appointment.startsAt.toISOString(),
      endsAt: appointment.endsAt.toISOString(),
      managerId: String(appointment.managerId),
      status: appointment.status,
      ...(appointment.place ? { place: appointment.place } : {}),
      ...(appointment.onlineUrl ? { onlineUrl: appointment.onlineUrl } : {}),
    },
  });
  return sent;
}
