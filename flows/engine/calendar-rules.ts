import type { BusinessHours, QuietHours } from '../schema/workspace-schema.js';
import { addDuration } from './duration.js';
import { addLocalDays, atLocalTime, fromLocal, minutesOfDay, toLocal } from './zoned-time.js';

export function isQuiet(instant: Date, quiet: QuietHours, timeZone: string): boolean {
  const local = toLocal(instant, timeZone);
  if (quiet.days?.includes(local.weekday)) return true;
  const minute = local.hour * 60 + local.minute;
  const from = minutesOfDay(quiet.from);
  const to = minutesOfDay(quiet.to);
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

/** The first moment at or after `instant` outside quiet hours (the next "opening"). */
export function nextOpening(instant: Date, quiet: QuietHours, timeZone: string): Date {
  let candidate = instant;
  // A week of quiet days plus one night is the most that can stand in the way.
  for (let round = 0; round < 16 && isQuiet(candidate, quiet, timeZone); round += 1) {
    const local = toLocal(candidate, timeZone);
    if (quiet.days?.includes(local.weekday)) {
      const nextDay = addLocalDays(candidate, 1, timeZone);
      candidate = fromLocal({ ...toLocal(nextDay, timeZone), hour: 0, minute: 0, second: 0 }, timeZone);
      continue;
    }
    const minute = local.hour * 60 + local.minute;
    const ending = atLocalTime(candidate, quiet.to, timeZone);
    // Past `from` on a night that crosses midnight: the quiet ends tomorrow morning.
    candidate = minute >= minutesOfDay(quiet.to) ? addLocalDays(ending, 1, timeZone) : ending;
  }
  return candidate;
}

export function isWithinBusinessHours(instant: Date, hours: BusinessHours, timeZone: string): boolean {
  const local = toLocal(instant, timeZone);
  const minute = local.hour * 60 + local.minute;
  return hours.some(
    (interval) =>
      interval.days.includes(local.weekday) &&
      minute >= minutesOfDay(interval.from) &&
      minute < minutesOfDay(interval.to),
  );
}

export interface MomentSpec {
  /** A duration from `now`. */
  in?: string;
  /** A date to start from (a field's value or a fixed date). */
  anchor?: Date;
  before?: string;
  after?: string;
  at?: string;
  weekdays?: number[];
}

/**
 * Works out a moment: from now plus `in`, or from an anchor minus `before` / plus `after`; then
 * the time of day `at` on that local date (for `in`, the next such time if it already passed);
 * then forward to an allowed weekday.
 */
export function resolveMoment(spec: MomentSpec, now: Date, timeZone: string): Date {
  let moment: Date;
  if (spec.anchor) {
    moment = spec.anchor;
    if (spec.before) moment = addDuration(moment, spec.before, timeZone, -1);
    if (spec.after) moment = addDuration(moment, spec.after, timeZone);
    if (spec.at) moment = atLocalTime(moment, spec.at, timeZone);
  } else {
    moment = spec.in ? addDuration(now, spec.in, timeZone) : now;
    if (spec.at) {
      moment = atLocalTime(moment, spec.at, timeZone);
      if (moment.getTime() <= now.getTime()) moment = addLocalDays(moment, 1, timeZone);
    }
  }
  const weekdays = spec.weekdays;
  if (weekdays?.length) {
    for (let round = 0; round < 7 && !weekdays.includes(toLocal(moment, timeZone).weekday); round += 1)
      moment = addLocalDays(moment, 1, timeZone);
  }
  return moment;
}
