import { badRequest } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { toLocalTime } from '../exports/to-local-time.js';
import type { Period } from './report-definition.js';

const { sayWith } = errorTexts;

const DAY_MS = 24 * 3600_000;
/** A year and a leap day: a report over a whole year (any year) is allowed, longer ones are not. */
export const MAX_PERIOD_DAYS = 366;
export const DEFAULT_PERIOD_DAYS = 30;
const DAY_FORMAT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The calendar day a moment falls on in a time zone, as YYYY-MM-DD. */
export function localDay(moment: Date, timeZone: string): string {
  return toLocalTime(moment, timeZone).text.slice(0, 10);
}

function dayNumber(day: string): number | undefined {
  const match = DAY_FORMAT.exec(day);
  if (!match) return undefined;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = Date.UTC(year, month - 1, date);
  // Date.UTC rolls 2026-02-30 over to March; a day that does not exist is refused instead.
  if (new Date(utc).toISOString().slice(0, 10) !== day) return undefined;
  return utc / DAY_MS;
}

const dayOf = (number: number) => new Date(number * DAY_MS).toISOString().slice(0, 10);

/**
 * The moment a day starts in a time zone. The zone's offset is read at the guess and again at
 * the result, so a day that starts right after a clock change still starts at its midnight.
 */
export function startOfDay(day: string, timeZone: string): Date {
  const number = dayNumber(day);
  if (number === undefined) throw badRequest(sayWith('notADay', { day }));
  const midnightUtc = number * DAY_MS;
  const offsetAt = (moment: number) => toLocalTime(new Date(moment), timeZone).wallClock.getTime() - moment;
  const guess = midnightUtc - offsetAt(midnightUtc);
  return new Date(midnightUtc - offsetAt(guess));
}

export interface ResolvedPeriod {
  period: Period;
  previous: Period;
  days: number;
}

/**
 * The report period from the days a user picked (both inclusive, in their time zone): by
 * default the last 30 days ending today. The previous period has as many days and ends where
 * this one starts, so the two compare like for like.
 */
export function resolvePeriod(
  input: { from?: string; to?: string },
  timeZone: string,
  now: Date = new Date(),
): ResolvedPeriod {
  const today = localDay(now, timeZone);
  const toDay = input.to ?? today;
  const toNumber = dayNumber(toDay);
  if (toNumber === undefined) throw badRequest(sayWith('toNotADay', { day: toDay }));
  const fromDay = input.from ?? dayOf(toNumber - (DEFAULT_PERIOD_DAYS - 1));
  const fromNumber = dayNumber(fromDay);
  if (fromNumber === undefined) throw badRequest(sayWith('fromNotADay', { day: fromDay }));
  if (fromNumber > toNumber) throw badRequest(sayWith('periodBackwards', { from: fromDay, to: toDay }));
  const days = toNumber - fromNumber + 1;
  if (days > MAX_PERIOD_DAYS) {
    throw badRequest(sayWith('periodTooLong', { days, max: MAX_PERIOD_DAYS }));
  }
  const period = { from: startOfDay(fromDay, timeZone), to: startOfDay(dayOf(toNumber + 1), timeZone) };
  const previous = { from: startOfDay(dayOf(fromNumber - days), timeZone), to: period.from };
  return { period, previous, days };
}

/** The period right before one given as moments, of the same length (for callers such as the digest). */
export function previousPeriod(period: Period): Period {
  return { from: new Date(period.from.getTime() - (period.to.getTime() - period.from.getTime())), to: period.from };
}

/** A period as the inclusive days a user reads: the end moment is exclusive, so its day is the one before. */
export function periodDays(period: Period, timeZone: string): { from: string; to: string } {
  return { from: localDay(period.from, timeZone), to: localDay(new Date(period.to.getTime() - 1), timeZone) };
}

/** The days a period spans in a time zone, each with the moments it starts and ends (clock changes included). */
export function daysOf(period: Period, timeZone: string): { day: string; from: Date; to: Date }[] {
  const days: { day: string; from: Date; to: Date }[] = [];
  let day = localDay(period.from, timeZone);
  let from = startOfDay(day, timeZone);
  while (from < period.to) {
    const next = dayOf(dayNumber(day)! + 1);
    const to = startOfDay(next, timeZone);
    days.push({ day, from, to });
    day = next;
    from = to;
  }
  return days;
}
