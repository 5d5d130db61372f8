import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';
import type { ExtractContext, When } from './extraction-schema.js';

/*
 * Parts of the day as a sales team reads them: "утром" is when the office opens, not chrono's
 * 06:00; "после обеда" (which chrono does not know) is early afternoon.
 */
const PARTS_OF_DAY: [RegExp, string][] = [
  [/после\s+обеда|во\s+второй\s+половине\s+дня|afternoon/iu, '14:00'],
  [/(?<!\p{L})(?:утр(?:ом|а)|с\s+утра|morning)(?!\p{L})/iu, '10:00'],
  [/(?<!\p{L})(?:в\s+обед|обед|днём|днем|at\s+noon|noon|lunch(?:time)?)(?!\p{L})/iu, '13:00'],
  [/(?<!\p{L})(?:вечер(?:ом)?|evening|tonight|after\s+work)(?!\p{L})/iu, '18:00'],
];

/* Greetings name a part of the day without meaning a time ("Добрый день", "Good evening"). */
const GREETINGS =
  /(?<!\p{L})(?:добр(?:ый|ое|ого)\s+(?:день|дня|утро|утра|вечер|вечера)|good\s+(?:morning|afternoon|evening|day))(?!\p{L})/giu;

const MONTHS_RU = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/*
 * "07.03" and "7.03" are dates to a Russian client, day first, as the bot's own slot buttons write
 * them in either language ("пт 07.03 10:00", "Fri 07.03 10:00"); chrono reads only "07.03.2026".
 * A time ("в 10.30", "at 9.15") and an amount ("1.50 млн", "2.05 м") are left alone: the month
 * must have two digits and be 01–12, and no time preposition or unit may stand around it. Words
 * and punctuation may follow ("07.03, после обеда"); a digit after a dot or comma makes it
 * something else ("07.03.2027" is chrono's, "1.05.7" nobody's).
 */
const SHORT_DATE =
  /(?<![\d.,]|(?:^|\s)(?:в|к|с|до|после|at|by|from|till|until)\s)(\d{1,2})\.(\d{2})(?!\d|[.,]\d|\s*(?:млн|тыс|м(?!\p{L})|м²|кв|%|₽|руб|k(?!\p{L})))/giu;

/* "7-го марта", "7-е марта": chrono's Russian parser reads the month alone and gives its first day. */
const ORDINAL_DAY = new RegExp(`(?<!\\d)(\\d{1,2})-?(?:го|ое|е)(?=\\s+(?:${MONTHS_RU.join('|')})(?!\\p{L}))`, 'giu');

function spellShortDates(text: string, language: 'ru' | 'en'): string {
  const months = language === 'ru' ? MONTHS_RU : MONTHS_EN;
  return text.replace(ORDINAL_DAY, '$1').replace(SHORT_DATE, (whole, day: string, month: string) => {
    const d = Number(day);
    const m = Number(month);
    return d >= 1 && d <= 31 && m >= 1 && m <= 12 ? `${d} ${months[m - 1]}` : whole;
  });
}

function partOfDay(text: string): string | undefined {
  return PARTS_OF_DAY.find(([pattern]) => pattern.test(text))?.[1];
}

/**
 * The first date or time the client names ("завтра после обеда", "в пятницу в 10", "next Monday
 * 3pm", "через неделю"), read forward from `now` in the client's time zone. chrono-node finds the
 * day; the hour is read here so parts of the day and a bare "в 3" (15:00: nobody books 3 a.m.)
 * mean what a client means by them.
 */
export function extractWhen(written: string, language: 'ru' | 'en', context: ExtractContext): When | undefined {
  const greeted = written.replace(GREETINGS, ' ');
  const text = spellShortDates(greeted, language);
  const now = DateTime.fromJSDate(context.now, { zone: context.timeZone });
  // chrono's British English reads "7/3" day first, as Russian does and as the bot writes dates.
  const parser = language === 'ru' ? chrono.ru.casual : chrono.en.GB;
  const reference = { instant: context.now, timezone: now.offset };
  const [result] = parser.parse(text, reference, { forwardDate: true });
  const named = partOfDay(text);
  if (!result && !named) return undefined;

  let day = now.startOf('day');
  let time: string | undefined = named;
  let phrase = named ? (PARTS_OF_DAY.find(([, t]) => t === named)?.[0].exec(text)?.[0] ?? '') : '';
  if (result) {
    const start = result.start;
    day = DateTime.fromObject(
      { year: start.get('year') ?? now.year, month: start.get('month') ?? now.month, day: start.get('day') ?? now.day },
      { zone: context.timeZone },
    );
    // "дом 2005 года" reads as a year centuries away: a date nobody books is not a date.
    if (Math.abs(day.diff(now, 'years').years) > 5) return undefined;
    phrase = result.text;
    if (start.isCertain('hour')) {
      let hour = start.get('hour') ?? 0;
      if (hour >= 1 && hour <= 7 && !start.isCertain('meridiem') && !/утра|ночи|\bam\b|a\.m\./iu.test(text)) hour += 12;
      time = `${String(hour).padStart(2, '0')}:${String(start.get('minute') ?? 0).padStart(2, '0')}`;
    }
  }
  let at = time ? day.set({ hour: Number(time.slice(0, 2)), minute: Number(time.slice(3)) }) : day;
  // "вечером" alone, said after the evening has begun, means tomorrow evening.
  if (!result && at < now) {
    day = day.plus({ days: 1 });
    at = at.plus({ days: 1 });
  }
  const date = day.toISODate();
  const iso = at.toISO({ suppressMilliseconds: true });
  if (!date || !iso) return undefined;
  return { date, ...(time ? { time } : {}), at: iso, text: phrase.trim() };
}
