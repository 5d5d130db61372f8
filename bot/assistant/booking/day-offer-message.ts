import { DateTime } from 'luxon';
import { BOOKING_TEXTS } from './booking-texts.js';
import type { FreeSlot } from './free-slots.js';
import { slotOfferMessage, type SlotOffer } from './slot-offer-message.js';

/** Slots shown for one day the client named: enough to choose from, few enough for a WhatsApp list. */
const DAY_SLOTS = 8;

/**
 * The answer to a day named without an hour ("завтра", "в пятницу"): that day's free slots as
 * buttons; when it has none, the nearest free slots after it (or the nearest at all), saying so.
 * A week named as a whole (`days` > 1) offers a few slots on each of its free days.
 */
export function dayOfferMessage(
  date: string,
  slots: readonly FreeSlot[],
  offer: SlotOffer,
  days = 1,
): { text: string; buttons: { id: string; text: string }[] } {
  const dayOf = (slot: FreeSlot) => DateTime.fromJSDate(slot.startsAt, { zone: offer.timeZone }).toISODate();
  const end = DateTime.fromISO(date, { zone: offer.timeZone }).plus({ days }).toISODate() ?? date;
  if (days > 1) {
    const thatWeek = slots.filter((slot) => (dayOf(slot) ?? '') >= date && (dayOf(slot) ?? '') < end);
    const first = DateTime.fromISO(date, { zone: offer.timeZone }).setLocale(offer.language);
    const last = first.plus({ days: days - 1 });
    // «Свободное время 9–15 марта:», "Free times 9 March – 15 March:"
    const range =
      first.month === last.month
        ? `${first.toFormat('d')}–${last.toFormat('d MMMM')}`
        : `${first.toFormat('d MMMM')} – ${last.toFormat('d MMMM')}`;
    if (thatWeek.length > 0)
      return slotOfferMessage(`${BOOKING_TEXTS.weekFree[offer.language]} ${range}:`, thatWeek, {
        ...offer,
        // Up to five working days, two times each: ten buttons, as many as a WhatsApp list holds.
        offerDays: Math.min(days, 5),
        perDay: Math.min(offer.perDay, 2),
      });
  }
  const thatDay = slots.filter((slot) => dayOf(slot) === date);
  if (thatDay.length > 0) {
    const label = DateTime.fromISO(date, { zone: offer.timeZone }).setLocale(offer.language).toFormat('cccc, d MMMM');
    return slotOfferMessage(`${BOOKING_TEXTS.dayFree[offer.language]} ${label}:`, thatDay, {
      ...offer,
      offerDays: 1,
      perDay: Math.max(offer.perDay, DAY_SLOTS),
    });
  }
  const later = slots.filter((slot) => (dayOf(slot) ?? '') >= end);
  return slotOfferMessage(BOOKING_TEXTS.dayBusy[offer.language], later.length > 0 ? later : slots, offer);
}
