import { DateTime } from 'luxon';
import { extractWhen, NEXT_WEEK, WEEKDAY } from '../extract/extract-when.js';
import type { Language } from './booking-texts.js';
import { slotFromButton } from './slot-buttons.js';

/**
 * - `slot`: a moment to book (a slot button, or a day with an hour: "завтра в 15", "Friday 11am");
 * - `day`: a day without an hour ("завтра", "послезавтра", "в пятницу", "tomorrow"), YYYY-MM-DD in
 *   the zone: the client is shown that day's free slots; `days` > 1 when they named a whole week
 *   ("на следующей неделе"): the free slots of its days.
 */
export type ChosenTime = { type: 'slot'; startsAt: Date } | { type: 'day'; date: string; days: number };

/*
 * A week named as a whole, however it is worded (NEXT_WEEK): chrono reads "на следующей неделе" as
 * a day a week from now and "на будущей неделе" as nothing it knows, and neither as a week.
 */
const THIS_WEEK =
  /(?<!\p{L})(?:(?:эт(?:ой|у|а)|текущ\p{L}*)\s+недел\p{L}*|на\s+неделе(?!\p{L}))|(?<!\p{L})this\s+week(?!\p{L})/iu;

type ReadOptions = { language: Language; now: Date; timeZone: string };

/**
 * What the client chose when offered slots: the button they tapped or what they typed, read
 * forward from `now` in the booking's zone. Undefined when it names no day at all.
 */
export function readChosenTime(
  choice: { buttonId?: string; text: string },
  options: ReadOptions,
): ChosenTime | undefined {
  const pressed = choice.buttonId && slotFromButton(choice.buttonId);
  if (pressed) return { type: 'slot', startsAt: pressed };
  const week = namedWeek(choice.text, options);
  if (week) return week;
  const when = extractWhen(choice.text, options.language, options, { dateAsked: true });
  if (!when) return undefined;
  if (when.time) return { type: 'slot', startsAt: new Date(when.at) };
  return { type: 'day', date: when.date, days: 1 };
}

/**
 * Next week from its Monday, this week from today, when the client names the week and no day of
 * it (a day of the week named with it is that day: "в четверг на следующей неделе"); an hour
 * named with it ("на следующей неделе в 15") does not say which day, so it is the week too.
 */
function namedWeek(text: string, options: ReadOptions): ChosenTime | undefined {
  const next = NEXT_WEEK.test(text);
  if ((!next && !THIS_WEEK.test(text)) || WEEKDAY.test(text)) return undefined;
  const today = DateTime.fromJSDate(options.now, { zone: options.timeZone }).startOf('day');
  const first = next ? today.startOf('week').plus({ weeks: 1 }) : today;
  const date = first.toISODate();
  return date ? { type: 'day', date, days: 8 - first.weekday } : undefined;
}
