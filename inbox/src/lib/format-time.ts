const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/**
 * A list's short time: «5 мин» / "5 min" within the hour, the time today, the weekday this week,
 * the date before that.
 */
export function shortTime(iso: string, now: Date, locale: string): string {
  const date = new Date(iso);
  const ago = now.getTime() - date.getTime();
  // «сейчас» / "now": under a minute a count of minutes would read "+0 min".
  if (ago < MINUTE) return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(0, 'second');
  // A unit, not a relative time: Russian's narrow relative form is «-11 мин», not «11 мин».
  if (ago < 60 * MINUTE) {
    return new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'short' }).format(
      Math.floor(ago / MINUTE),
    );
  }
  if (startOfDay(date) === startOfDay(now)) {
    return date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  }
  if (now.getTime() - startOfDay(date) < 6 * DAY)
    return capitalize(date.toLocaleDateString(locale, { weekday: 'short' }));
  return date.toLocaleDateString(locale, { day: 'numeric', month: 'short' });
}

/** A day separator: «Сегодня», «Вчера», «12 ноября» (with the year when it is not this one). */
export function dayLabel(day: string, now: Date, locale: string): string {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  const start = new Date(year, month - 1, date);
  const days = Math.round((startOfDay(now) - start.getTime()) / DAY);
  if (days === 0 || days === 1) {
    return capitalize(new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(-days, 'day'));
  }
  return start.toLocaleDateString(locale, {
    day: 'numeric',
    month: 'long',
    ...(year === now.getFullYear() ? {} : { year: 'numeric' }),
  });
}

/** A message's time of day, shown under it. */
export function timeOfDay(iso: string, locale: string): string {
  return new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}
