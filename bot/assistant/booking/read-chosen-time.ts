import { DateTime } from 'luxon';
import { extractWhen } from '../extract/extract-when.js';
import type { Language } from './booking-texts.js';
import { slotFromButton } from './slot-buttons.js';

/**
 * - `slot`: a moment to book (a slot button, or a day with an hour: "завтра в 15", "Friday 11am");
 * - `day`: a day without an hour ("завтра", "послезавтра", "в пятницу", "tomorrow"), YYYY-MM-DD in
 *   the zone: the client is shown that day's free slots; `days` > 1 when they named a whole week
 *   ("на следующей неделе"): the free slots of its days.
 */
export type ChosenTime = { type: 'slot'; startsAt: Date } | { type: 'day'; date: string; days: number };

/** A week named as a whole, no day in it: chrono reads it as its Monday (or today), one day only. */
const WHOLE_WEEK = /^(?:на\s+)?(?:следующей|этой|этой\s+же)\s+неделе$|^(?:next|this)\s+week$/iu;

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
  if (when.time) return { type: 'slot', startsAt: new Date(when.at) };
  if (!WHOLE_WEEK.test(when.text)) return { type: 'day', date: when.date, days: 1 };
  // Next week from its Monday; this week from today (chrono reads either as one day, and not the same one in both languages).
  const today = DateTime.fromJSDate(options.now, { zone: options.timeZone }).startOf('day');
  const first = /next|следующ/iu.test(when.text) ? today.startOf('week').plus({ weeks: 1 }) : today;
  return { type: 'day', date: first.toISODate() ?? when.date, days: 8 - first.weekday };
}
