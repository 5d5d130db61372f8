import { DateTime } from 'luxon';

/* "в" + the weekday in the accusative, Monday first (luxon's weekday 1…7). */
const RU_ON_WEEKDAY = [
  'в понедельник',
  'во вторник',
  'в среду',
  'в четверг',
  'в пятницу',
  'в субботу',
  'в воскресенье',
];

/** "завтра в 09:00", "в понедельник в 10:00", "tomorrow at 09:00": when a person answers, as the client reads it. */
export function formatOpening(opening: Date, now: Date, timeZone: string, language: 'ru' | 'en'): string {
  const at = DateTime.fromJSDate(opening, { zone: timeZone }).setLocale(language);
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const days = Math.round(at.startOf('day').diff(today, 'days').days);
  const time = at.toFormat('HH:mm');
  if (language === 'ru') {
    if (days === 0) return `сегодня в ${time}`;
    if (days === 1) return `завтра в ${time}`;
    return `${RU_ON_WEEKDAY[at.weekday - 1]} в ${time}`;
  }
  if (days === 0) return `today at ${time}`;
  if (days === 1) return `tomorrow at ${time}`;
  return `on ${at.toFormat('cccc')} at ${time}`;
}
