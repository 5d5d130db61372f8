import { extractWhen } from '../extract/extract-when.js';
import type { Language } from './booking-texts.js';
import { slotFromButton } from './slot-buttons.js';

/**
 * - `slot`: a moment to book (a slot button, or a day with an hour: "завтра в 15", "Friday 11am");
 * - `day`: a day without an hour ("завтра", "послезавтра", "в пятницу", "tomorrow"), YYYY-MM-DD in
 *   the zone: the client is shown that day's free slots.
 */
export type ChosenTime = { type: 'slot'; startsAt: Date } | { type: 'day'; date: string };

/**
 * What the client chose when offered slots: the button they tapped or what they typed, read
 * forward from `now` in the booking's zone. Undefined when it names no day at all.
 */
export function readChosenTime(
  choice: { buttonId?: string; text: string },
  options: { language: Language; now: Date; timeZone: string },
): ChosenTime | undefined {
  const pressed = choice.buttonId && slotFromButton(choice.buttonId);
  if (pressed) return { type: 'slot', startsAt: pressed };
  const when = extractWhen(choice.text, options.language, options);
  if (!when) return undefined;
  return when.time ? { type: 'slot', startsAt: new Date(when.at) } : { type: 'day', date: when.date };
}
