import type { DayRange } from './period-presets.js';

function localDay(day: string): Date {
  const [year = 1970, month = 1, date = 1] = day.split('-').map(Number);
  return new Date(year, month - 1, date);
}

/** A period of inclusive days as a reader says it: «1–30 нояб. 2026 г.», "Nov 1 – 30, 2026". */
export function formatPeriod(range: DayRange, locale: string): string {
  const format = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' });
  return format.formatRange(localDay(range.from), localDay(range.to));
}
