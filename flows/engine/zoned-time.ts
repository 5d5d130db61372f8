/** Wall-clock time in some time zone; months and days 1-based, weekday 1 = Monday … 7 = Sunday. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const HOUR_MS = 3_600_000;
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
// Creating an Intl formatter is slow; one per time zone is reused (a cache, not state).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (!cached) {
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, cached);
  }
  return cached;
}

export function toLocal(instant: Date, timeZone: string): LocalDateTime & { weekday: number } {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? 'Mon'] ?? 1,
  };
}

function wallMs(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in ms. */
export function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallMs(toLocal(new Date(whole), timeZone)) - whole;
}

/**
 * The instant a wall-clock time happens in `timeZone`. A time skipped by a DST change (02:30 on
 * the spring-forward night) moves forward by the gap; a time that happens twice takes the first.
 */
export function fromLocal(local: LocalDateTime, timeZone: string): Date {
  const wall = wallMs(local);
  const before = wall - offsetAt(wall - 24 * HOUR_MS, timeZone);
  const after = wall - offsetAt(wall + 24 * HOUR_MS, timeZone);
  const exact = [before, after].filter((candidate) => wallMs(toLocal(new Date(candidate), timeZone)) === wall);
  return new Date(exact.length > 0 ? Math.min(...exact) : before);
}

/** The same wall-clock time `days` calendar days later (earlier when negative). */
export function addLocalDays(instant: Date, days: number, timeZone: string): Date {
  const local = toLocal(instant, timeZone);
  const date = new Date(Date.UTC(local.year, local.month - 1, local.day + days));
  return fromLocal(
    { ...local, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() },
    timeZone,
  );
}

/** `HH:MM` on the local date of `instant`. */
export function atLocalTime(instant: Date, clockTime: string, timeZone: string): Date {
  const [hour = 0, minute = 0] = clockTime.split(':').map(Number);
  return fromLocal({ ...toLocal(instant, timeZone), hour, minute, second: 0 }, timeZone);
}

export function minutesOfDay(clockTime: string): number {
  const [hour = 0, minute = 0] = clockTime.split(':').map(Number);
  return hour * 60 + minute;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** `YYYY-MM-DD` in the zone. */
export function localDate(instant: Date, timeZone: string): string {
  const local = toLocal(instant, timeZone);
  return `${local.year}-${pad(local.month)}-${pad(local.day)}`;
}

/** `HH:MM` in the zone. */
export function localClockTime(instant: Date, timeZone: string): string {
  const local = toLocal(instant, timeZone);
  return `${pad(local.hour)}:${pad(local.minute)}`;
}

/** `DD.MM.YYYY` (Russian) or `YYYY-MM-DD` (English), as people read dates in messages. */
export function formatLocalDate(instant: Date, timeZone: string, language: 'ru' | 'en'): string {
  const local = toLocal(instant, timeZone);
  return language === 'ru'
    ? `${pad(local.day)}.${pad(local.month)}.${local.year}`
    : `${local.year}-${pad(local.month)}-${pad(local.day)}`;
}
