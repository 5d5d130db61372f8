import type { Period } from '../report-definition.js';
import { localDay, startOfDay } from '../report-periods.js';

const DAY_MS = 24 * 3600_000;

export interface DigestWeek {
  /** The Monday the reported week starts on (YYYY-MM-DD): the key that makes a digest once per week. */
  key: string;
  /** Monday 00:00 to the next Monday 00:00 in the workspace's time zone. */
  period: Period;
  /** The seven days before it. */
  previous: Period;
  /** The reported days as a user reads them, Monday to Sunday inclusive. */
  days: { from: string; to: string };
}

const dayOf = (number: number) => new Date(number * DAY_MS).toISOString().slice(0, 10);

/**
 * The last whole week (Monday to Sunday) before `now` in a time zone. A digest sent on Monday at
 * 09:00, or retried later that week, reports the same week under the same key.
 */
export function digestWeek(now: Date, timeZone: string): DigestWeek {
  const today = Date.parse(`${localDay(now, timeZone)}T00:00:00Z`) / DAY_MS;
  // 1970-01-01 was a Thursday: days since a Monday are (day number + 3) mod 7.
  const thisMonday = today - ((today + 3) % 7);
  const from = dayOf(thisMonday - 7);
  return {
    key: from,
    period: { from: startOfDay(from, timeZone), to: startOfDay(dayOf(thisMonday), timeZone) },
    previous: { from: startOfDay(dayOf(thisMonday - 14), timeZone), to: startOfDay(from, timeZone) },
    days: { from, to: dayOf(thisMonday - 1) },
  };
}
