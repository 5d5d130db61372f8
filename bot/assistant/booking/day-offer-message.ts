import { DateTime } from 'luxon';
import { BOOKING_TEXTS } from './booking-texts.js';
import type { FreeSlot } from './free-slots.js';
import { slotOfferMessage, type SlotOffer } from './slot-offer-message.js';

/** Slots shown for one day the client named: enough to choose from, few enough for a WhatsApp list. */
const DAY_SLOTS = 8;

/**
 * The answer to a day named without an hour ("завтра", "в пятницу"): that day's free slots as
 * buttons; when it has none, the nearest free slots after it (or the nearest at all), saying so.
 */
export function dayOfferMessage(
  date: string,
  slots: readonly FreeSlot[],
  offer: SlotOffer,
): { text: string; buttons: { id: string; text: string }[] } {
  const dayOf = (slot: FreeSlot) => DateTime.fromJSDate(slot.startsAt, { zone: offer.timeZone }).toISODate();
  const thatDay = slots.filter((slot) => dayOf(slot) === date);
  if (thatDay.length > 0) {
    const label = DateTime.fromISO(date, { zone: offer.timeZone }).setLocale(offer.language).toFormat('cccc, d MMMM');
    return slotOfferMessage(`${BOOKING_TEXTS.dayFree[offer.language]} ${label}:`, thatDay, {
      ...offer,
      offerDays: 1,
      perDay: Math.max(offer.perDay, DAY_SLOTS),
    });
  }
  const later = slots.filter((slot) => (dayOf(slot) ?? '') > date);
  return slotOfferMessage(BOOKING_TEXTS.dayBusy[offer.language], later.length > 0 ? later : slots, offer);
}
