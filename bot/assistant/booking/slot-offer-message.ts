import { shortTime, type Language } from './booking-texts.js';
import type { FreeSlot } from './free-slots.js';
import { SLOT_BUTTON_PREFIX, slotButtons, slotFromButton } from './slot-buttons.js';

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
  const days = slotButtons(slots, {
    timeZone: offer.timeZone,
    language: offer.language,
    maxDays: offer.offerDays,
    perDay: offer.perDay,
  });
  const starts = days.flatMap((day) => day.buttons.flatMap((button) => slotFromButton(button.id) ?? []));
  const buttons = starts.map((startsAt) => ({
    id: offer.buttonId ? offer.buttonId(startsAt) : `${SLOT_BUTTON_PREFIX}${startsAt.toISOString()}`,
    text: shortTime(startsAt, offer.timeZone, offer.language),
  }));
  return { text: intro, buttons };
}
