import { DURATION_PATTERN } from '../schema/primitive-schemas.js';
import { addLocalDays } from './zoned-time.js';

export interface Duration {
  /** Weeks and days count in calendar days of the flow's time zone. */
  days: number;
  /** Hours, minutes and seconds count in elapsed milliseconds. */
  ms: number;
}

export function parseDuration(text: string): Duration {
  const match = DURATION_PATTERN.exec(text);
  if (!match) throw new Error(`Not a duration: ${text}`);
  const [, weeks, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return {
    days: (weeks ?? 0) * 7 + (days ?? 0),
    ms: ((hours ?? 0) * 3600 + (minutes ?? 0) * 60 + (seconds ?? 0)) * 1000,
  };
}

/** `instant` plus (or minus, with sign -1) the duration: days on the calendar, then the time part. */
export function addDuration(instant: Date, text: string, timeZone: string, sign: 1 | -1 = 1): Date {
  const duration = parseDuration(text);
  const shifted = duration.days === 0 ? instant : addLocalDays(instant, sign * duration.days, timeZone);
  return new Date(shifted.getTime() + sign * duration.ms);
}

/** The nominal length (a day as 24 hours), for comparisons that need no calendar. */
export function durationMs(text: string): number {
  const duration = parseDuration(text);
  return duration.days * 86_400_000 + duration.ms;
}

/**
 * One spelling per duration, so triggers and events compare equal: "1w" = "7d", "90m" = "1h30m".
 * "1d" and "24h" stay different: a calendar day is 23 or 25 hours across a DST change.
 */
export function canonicalDuration(text: string): string {
  const { days, ms } = parseDuration(text);
  const seconds = ms / 1000;
  const parts: [number, string][] = [
    [days, 'd'],
    [Math.floor(seconds / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'm'],
    [seconds % 60, 's'],
  ];
  const canonical = parts
    .filter(([value]) => value > 0)
    .map(([value, unit]) => `${value}${unit}`)
    .join('');
  return canonical || '0s';
}
