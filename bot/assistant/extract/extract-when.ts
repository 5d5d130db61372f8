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
 * "07.03", "7.03" and "7.3" are dates to a Russian client, day first, as the bot's own slot buttons
 * write them in either language ("пт 07.03 10:00", "Fri 07.03 10:00"); chrono reads only
 * "07.03.2026". Words and punctuation may follow ("07.03, после обеда"); a digit after a dot or
 * comma makes it something else ("07.03.2027" is chrono's, "1.05.7" nobody's).
 */
const SHORT_DATE = /(?<![\d.,])(\d{1,2})\.(\d{1,2})(?!\d|[.,]\d)/gu;

/* Words a measured, priced or versioned number follows: "рост 1.10", "height 1.10", "бюджет 1.5", "v7.3". */
const MEASURES = [
  '(?:рост|высот|ширин|длин|глубин|толщин|площад|диаметр|размер|объ[её]м|верси|бюджет|стоимост|сумм)\\p{L}*',
  'вес(?:а|у|ом)?',
  'цен(?:а|ы|у|ой|е)',
  '(?:height|width|length|depth|area|size|weight|thickness|diameter|version|budget|price|cost)s?',
  'v',
];
/* After a time's preposition ("в 10.30", "at 9.15": chrono reads the time) or a word of measurement, no date. */
const NOT_A_DATE_BEFORE = new RegExp(
  `(?:(?:^|\\s)(?:в|к|с|до|после|at|by|from|till|until)\\s+|(?<!\\p{L})(?:${MEASURES.join('|')})\\s*[:=—–-]?\\s*)$`,
  'iu',
);
/* Units after a number make it an amount, a size or a count: "1.50 млн", "2.10 метра", "2.5 кг". */
const MONEY_UNITS =
  'тыс\\p{L}*|млн|млрд|миллион\\p{L}*|миллиард\\p{L}*|руб\\p{L}*|р|доллар\\p{L}*|евро|k|mln|bn|usd|eur|rub|(?:thousand|million|billion|dollar|euro)s?';
const SIZE_UNITS =
  'мм|см|м|метр\\p{L}*|км|кв|га|сот\\p{L}*|кг|грамм\\p{L}*|т|тонн\\p{L}*|л|литр\\p{L}*|mm|cm|m|km|kg|g|lbs?|ft|sq|(?:meter|metre|liter|litre)s?';
const COUNT_UNITS = 'ч|час\\p{L}*|мин\\p{L}*|раз\\p{L}*|год\\p{L}*|лет|шт|hours?|hrs?|years?|times';
/* A unit after the number or after a range it starts ("1.5-2 млн"), a percentage, a size ("2.5x3"). */
const AMOUNT_AFTER = new RegExp(
  `^(?:\\s*[-–]\\s*[\\d.,]+)?\\s*(?:[%₽$€]|[xх×*]\\s*\\d|(?:${MONEY_UNITS}|${SIZE_UNITS}|${COUNT_UNITS})(?!\\p{L}))`,
  'iu',
);
/* chrono's English reads "2.10 m" as two minutes from now: a size is neither a day nor a time. */
const SIZE = new RegExp(`(?<![\\p{L}\\d.,])\\d+(?:[.,]\\d+)?(?=\\s*(?:${SIZE_UNITS})(?!\\p{L}))`, 'giu');
/*
 * "7.3" is as often a decimal as a day ("1.5" answering the budget question): it is a day when the
 * client was asked for one, or names a time with it ("7.3 в 11", "7.3, после обеда").
 */
const TIME_AFTER =
  /^\s*,?\s*(?:(?:в|во|к|at|around|by)\s+\d{1,2}(?::\d{2})?(?!\s*(?:раз|час|мин))|\d{1,2}:\d{2}|с\s+утра|утром|днём|днем|вечером|после\s+обеда|in\s+the\s+(?:morning|afternoon|evening))(?![\p{L}\d])/iu;

/* "7-го марта", "7-е марта": chrono's Russian parser reads the month alone and gives its first day. */
const ORDINAL_DAY = new RegExp(`(?<!\\d)(\\d{1,2})-?(?:го|ое|е)(?=\\s+(?:${MONTHS_RU.join('|')})(?!\\p{L}))`, 'giu');

/* Ordinal days in words as a client spells them, 1 to 20 ("первого", "седьмое", "двадцатого"). */
const ORDINAL_STEMS_RU = (
  'перв втор трет четв[её]рт пят шест седьм восьм девят десят одиннадцат двенадцат тринадцат четырнадцат ' +
  'пятнадцат шестнадцат семнадцат восемнадцат девятнадцат двадцат'
).split(' ');
const ordinalRu = (day: number): string =>
  day <= 20
    ? ORDINAL_STEMS_RU[day - 1]!
    : day === 30
      ? 'тридцат'
      : `${day < 30 ? 'двадцать' : 'тридцать'}\\s+${ORDINAL_STEMS_RU[(day % 10) - 1]!}`;
const ORDINAL_ENDING_RU = '(?:ь?его|ого|ь?е|ое)';
/* Days 31 down to 1: "двадцать первого" is tried before "двадцатого" could take its first word. */
const DAY_WORDS_RU = Array.from({ length: 31 }, (_, index) => 31 - index).map(
  (day) => [day, new RegExp(`^${ordinalRu(day)}${ORDINAL_ENDING_RU}$`, 'iu')] as const,
);
/* An ordinal day stands alone when a time, a conjunction or the end follows it, not a noun ("3-го этажа"). */
const ALONE_RU = '(?=\\s*(?:$|[,.!?;:)]|(?:в|во|к|с|после|утром|днём|днем|вечером|или|и)(?!\\p{L})))';
/*
 * A day of the month without the month: "7 числа", "седьмого числа", "на 7-е", "7-го в 11". chrono
 * knows none of them.
 */
const DAY_OF_MONTH_RU = new RegExp(
  `(?<![\\p{L}\\d-])(?:(\\d{1,2})(?:-?(?:го|е|ое))?\\s+числ(?:а|о|у)|((?:${DAY_WORDS_RU.map(([day]) => ordinalRu(day)).join('|')})${ORDINAL_ENDING_RU})\\s+числ(?:а|о|у)|(\\d{1,2})-?(?:го|е|ое)${ALONE_RU})(?!\\p{L})`,
  'giu',
);
/* "on the 7th", "the 7th at 3pm"; "April the 7th" is left as it was, and "the 1st floor" is no day. */
const DAY_OF_MONTH_EN = new RegExp(
  `(?<!(?<!\\p{L})(?:${MONTHS_EN.join('|')}|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\\.?\\s+)(?<![\\p{L}\\d])(?:on\\s+(?:the\\s+)?|the\\s+)(\\d{1,2})(?:st|nd|rd|th)(?=\\s*(?:$|[,.!?;:)]|(?:at|in|after|before|around|or|and|then|please|morning|afternoon|evening)(?!\\p{L})))`,
  'giu',
);

/*
 * chrono reads a day of next week said day first ("во вторник на следующей неделе", "Tuesday next
 * week") but splits "на следующей неделе во вторник" in two and keeps its first half, a week from
 * today; "на будущей неделе" it does not know at all.
 */
export const NEXT_WEEK =
  /(?<!\p{L})(?:(?:следующ|будущ)\p{L}*|след\.?)\s+недел\p{L}*|(?<!\p{L})(?:next|following)\s+week(?!\p{L})/iu;
const NEXT_WEEK_PHRASE = new RegExp(`(?:(?<!\\p{L})(?:на|in|the)\\s+)?(?:${NEXT_WEEK.source})`, 'iu');
export const WEEKDAY =
  /(?<!\p{L})(?:(?:понедельн|вторник|четверг|пятниц|суббот|воскресен)\p{L}*|сред[аеуы](?!\p{L})|(?:mon|tues|wednes|thurs|fri|satur|sun)days?(?!\p{L}))/iu;

type Language = 'ru' | 'en';

/** The next day of the month with that number, today's included: a day already past is next month's. */
function nextDayOfMonth(day: number, now: DateTime): DateTime | undefined {
  const today = now.startOf('day');
  for (let ahead = 0; ahead <= 2; ahead += 1) {
    const month = today.startOf('month').plus({ months: ahead });
    if (day < 1 || day > (month.daysInMonth ?? 0)) continue;
    const date = month.set({ day });
    if (date >= today) return date;
  }
  return undefined;
}

/** What chrono reads, for what it does not: day.month without a year, a day of the month alone, next week's day. */
function spellDates(text: string, language: Language, now: DateTime, dateAsked: boolean): string {
  const months = language === 'ru' ? MONTHS_RU : MONTHS_EN;
  const dayOfMonth = (whole: string, day: number) => {
    const date = nextDayOfMonth(day, now);
    return date ? `${date.day} ${months[date.month - 1]} ${date.year}` : whole;
  };
  const spelled = text
    .replace(ORDINAL_DAY, '$1')
    .replace(SHORT_DATE, (whole, day: string, month: string, offset: number, all: string) => {
      const d = Number(day);
      const m = Number(month);
      if (d < 1 || d > 31 || m < 1 || m > 12) return whole;
      const after = all.slice(offset + whole.length);
      if (NOT_A_DATE_BEFORE.test(all.slice(0, offset)) || AMOUNT_AFTER.test(after)) return whole;
      if (month.length === 1 && !dateAsked && !TIME_AFTER.test(after)) return whole;
      return `${d} ${months[m - 1]}`;
    })
    .replace(DAY_OF_MONTH_RU, (whole, digits?: string, words?: string, ordinal?: string) => {
      const day = words
        ? (DAY_WORDS_RU.find(([, pattern]) => pattern.test(words))?.[0] ?? 0)
        : Number(digits ?? ordinal);
      return dayOfMonth(whole, day);
    })
    .replace(DAY_OF_MONTH_EN, (whole, day: string) => dayOfMonth(whole, Number(day)))
    .replace(SIZE, ' ');
  if (!NEXT_WEEK.test(spelled) || !WEEKDAY.test(spelled)) return spelled;
  const nextWeek = language === 'ru' ? 'на следующей неделе' : 'next week';
  return spelled.replace(NEXT_WEEK_PHRASE, ' ').replace(WEEKDAY, (weekday) => `${weekday} ${nextWeek}`);
}

function partOfDay(text: string): string | undefined {
  return PARTS_OF_DAY.find(([pattern]) => pattern.test(text))?.[1];
}

/**
 * The first date or time the client names ("завтра после обеда", "в пятницу в 10", "next Monday
 * 3pm", "через неделю"), read forward from `now` in the client's time zone. chrono-node finds the
 * day; the hour is read here so parts of the day and a bare "в 3" (15:00: nobody books 3 a.m.)
 * mean what a client means by them. `dateAsked`: the client answers a question about when, so a
 * bare "7.3" is a day rather than a decimal.
 */
export function extractWhen(
  written: string,
  language: Language,
  context: ExtractContext,
  options: { dateAsked?: boolean } = {},
): When | undefined {
  const now = DateTime.fromJSDate(context.now, { zone: context.timeZone });
  const text = spellDates(written.replace(GREETINGS, ' '), language, now, options.dateAsked ?? false);
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
