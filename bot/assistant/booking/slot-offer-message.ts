import { shortTime, type Language } from './booking-texts.js';
import type { FreeSlot } from './free-slots.js';
import { offeredSlots, SLOT_BUTTON_PREFIX } from './slot-buttons.js';

export interface SlotOffer {
  timeZone: string;
  language: Language;
  /** Days with free slots offered at once, and slots per day. */
  offerDays: number;
  perDay: number;
  /** The button id of a slot: `slot:<ISO>` for a new booking, another for a reschedule. */
  buttonId?: (startsAt: Date) => string;
}

/**
 * The free slots as one chat message: the intro, then one button per slot ("пт 27.11 10:00"), a
 * few days with a few slots each. Each channel's adapter lays the buttons out its own way (an
 * inline keyboard, WhatsApp reply buttons or a list, the widget's quick replies).
 */
export function slotOfferMessage(
  intro: string,
  slots: readonly FreeSlot[],
  offer: SlotOffer,
): { text: string; buttons: { id: string; text: string }[] } {
  const offered = offeredSlots(slots, { timeZone: offer.timeZone, maxDays: offer.offerDays, perDay: offer.perDay });
  const buttons = offered
    .flatMap((day) => day.slots)
    .map(({ startsAt }) => ({
      id: offer.buttonId ? offer.buttonId(startsAt) : `${SLOT_BUTTON_PREFIX}${startsAt.toISOString()}`,
      text: shortTime(startsAt, offer.timeZone, offer.language),
    }));
  return { text: intro, buttons };
}
