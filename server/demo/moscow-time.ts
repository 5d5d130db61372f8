const DAY_MS = 24 * 60 * 60 * 1000;

/** A working-hours moment in Moscow (UTC+3, no daylight saving) `days` from today. */
export function moscowTime(now: Date, days: number, hour: number): Date {
  const day = new Date(now.getTime() + days * DAY_MS);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour - 3));
}
