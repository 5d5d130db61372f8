const DAY = 24 * 60 * 60 * 1000;

function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/**
 * A day of the tasks calendar, looking ahead as a planner does: «Сегодня», «Завтра», «Вчера»,
 * then the weekday with the date («Пятница, 4 декабря»), the year only when it is not this one.
 */
export function taskDayLabel(day: string, now: Date, locale: string): string {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  const start = new Date(year, month - 1, date);
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  // Rounded: a day across a daylight-saving change is 23 or 25 hours long.
  const offset = Math.round((start.getTime() - today.getTime()) / DAY);
  if (Math.abs(offset) <= 1) {
    return capitalize(new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(offset, 'day'));
  }
  return capitalize(
    start.toLocaleDateString(locale, {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      ...(year === now.getFullYear() ? {} : { year: 'numeric' }),
    }),
  );
}
