import { DateTime } from 'luxon';

const minutesOf = (clock: string) => {
  const [hours = 0, minutes = 0] = clock.split(':').map(Number);
  return hours * 60 + minutes;
};

/**
 * When the quiet hours around `now` end, in the broadcast's time zone; undefined outside them.
 * `from` later than `to` spans midnight (21:00–09:00). Read on the wall clock, so a daylight
 * saving change moves the end with the clock.
 */
export function quietHoursEnd(now: Date, quietHours: { from: string; to: string }, timeZone: string): Date | undefined {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const minute = local.hour * 60 + local.minute;
  const from = minutesOf(quietHours.from);
  const to = minutesOf(quietHours.to);
  const quiet = from < to ? minute >= from && minute < to : minute >= from || minute < to;
  if (!quiet) return undefined;
  const end = local.set({ hour: Math.floor(to / 60), minute: to % 60, second: 0, millisecond: 0 });
  return (end <= local ? end.plus({ days: 1 }) : end).toJSDate();
}
