import { describe, expect, it } from 'vitest';
import { readChosenTime } from '../../bot/assistant/booking/read-chosen-time.js';
import { extractOffline } from '../../bot/assistant/extract/extract-offline.js';
import { parseAnswer } from '../../bot/assistant/extract/parse-answer.js';

/** Wednesday 5 March 2025, 23:30 in Moscow (20:30 UTC). */
const wednesday = new Date('2025-03-05T20:30:00Z');
/** Monday 3 March 2025, 10:00 in Moscow: this week's Tuesday is the 4th, next week's the 11th. */
const monday = new Date('2025-03-03T07:00:00Z');
const zone = 'Europe/Moscow';

/** What the booking step makes of a client's words when it offered slots. */
const chosen = (text: string, language: 'ru' | 'en' = 'ru', now = wednesday) =>
  readChosenTime({ text }, { language, now, timeZone: zone });
/** The answer to an ask step's date question. */
const dateAnswer = (text: string, locale: 'ru' | 'en' = 'ru', now = wednesday) =>
  parseAnswer('date', text, { locale, now, timeZone: zone });
/** The date the offline extractor finds in any message, asked for a date or not. */
const whenIn = (text: string, languageHint: 'ru' | 'en' = 'ru') =>
  extractOffline(text, { now: wednesday, timeZone: zone, languageHint }).when;

const dayOf = (date: string) => ({ type: 'day', date, days: 1 });
const slotAt = (iso: string) => ({ type: 'slot', startsAt: new Date(iso) });

describe('extractWhen', () => {
  it('should read a day.month with a one-digit month day first, as Russian clients write it', () => {
    expect(chosen('давайте 7.3 в 11')).toEqual(slotAt('2025-03-07T08:00:00Z'));
    expect(chosen('7.3')).toEqual(dayOf('2025-03-07'));
    // The next 2 March from now is next year's.
    expect(chosen('2.3')).toEqual(dayOf('2026-03-02'));
    expect(chosen('7.3 at 11', 'en')).toEqual(slotAt('2025-03-07T08:00:00Z'));
    expect(dateAnswer('15.4')).toEqual({ ok: true, value: '2025-04-15' });
    expect(whenIn('давайте 7.3 в 11')).toMatchObject({ date: '2025-03-07', time: '11:00' });
    expect(whenIn('7.3, после обеда')).toMatchObject({ date: '2025-03-07', time: '14:00' });
  });

  it('should not read a time, an amount, a version or a decimal with a unit as a one-digit month', () => {
    expect(chosen('в 10.30')).toEqual(slotAt('2025-03-06T07:30:00Z'));
    expect(chosen('at 9.15', 'en')).toEqual(slotAt('2025-03-06T06:15:00Z'));
    for (const text of ['1.5 млн', '2.3 м', '7.3%', 'версия 7.3', 'v7.3', '2.5 кг', '1.5 литра', '1.5-2 млн', '2.5x3'])
      expect(chosen(text), text).toBeUndefined();
    for (const text of ['version 7.3', '2.5 times', '1.5k']) expect(chosen(text, 'en'), text).toBeUndefined();
    // Asked nothing about a day, a bare decimal is a number ("1.5" answering the budget question).
    expect(whenIn('1.5')).toBeUndefined();
    expect(whenIn('давайте 7.3')).toBeUndefined();
  });

  it('should not read a measurement as a date, after a word of measurement or before a unit', () => {
    for (const text of ['рост 1.10', 'высота 2.10 м', 'длина 2.10', 'ширина: 1.05', 'глубина 1.10', '2.10 метра'])
      expect(chosen(text), text).toBeUndefined();
    for (const text of ['height 1.10', 'width 2.10', 'depth 1.10', 'area 1.12', '2.10 meters', 'height 2.10 m'])
      expect(chosen(text, 'en'), text).toBeUndefined();
    expect(whenIn('рост 1.10')).toBeUndefined();
    expect(whenIn('площадь 1.12, хочу окна')).toBeUndefined();
    expect(dateAnswer('height 1.10', 'en')).toEqual({ ok: false, reason: 'not-found' });
    // A day.month that is no measurement is still a date.
    expect(chosen('рост цен, давайте 01.10')).toEqual(dayOf('2025-10-01'));
  });

  it('should read a day of the month named without its month as its next such day', () => {
    expect(chosen('7 числа')).toEqual(dayOf('2025-03-07'));
    expect(chosen('давайте седьмого числа')).toEqual(dayOf('2025-03-07'));
    expect(chosen('на 7-е')).toEqual(dayOf('2025-03-07'));
    expect(chosen('двадцать первого числа')).toEqual(dayOf('2025-03-21'));
    // "В 3" is 15:00, as everywhere a client names an hour.
    expect(chosen('на 7-е в 3')).toEqual(slotAt('2025-03-07T12:00:00Z'));
    expect(chosen('7-го в 11')).toEqual(slotAt('2025-03-07T08:00:00Z'));
    // The 3rd of this month is past: next month's.
    expect(chosen('3 числа')).toEqual(dayOf('2025-04-03'));
    expect(chosen('третьего числа')).toEqual(dayOf('2025-04-03'));
    // April has no 31st: the next month that has one.
    expect(dateAnswer('31 числа', 'ru', new Date('2025-04-05T07:00:00Z'))).toEqual({ ok: true, value: '2025-05-31' });
    expect(chosen('on the 7th', 'en')).toEqual(dayOf('2025-03-07'));
    expect(chosen('the 7th at 3pm', 'en')).toEqual(slotAt('2025-03-07T12:00:00Z'));
    expect(chosen('on the 3rd, please', 'en')).toEqual(dayOf('2025-04-03'));
    expect(whenIn('давайте 7 числа после обеда')).toMatchObject({ date: '2025-03-07', time: '14:00' });
  });

  it('should not read an ordinal of something else as a day of the month', () => {
    expect(chosen('квартира на 3-м этаже, 3-го подъезда')).toBeUndefined();
    expect(chosen('на 2-е место')).toBeUndefined();
    expect(chosen('the 1st floor', 'en')).toBeUndefined();
    // A month named with the day is chrono's to read, as before.
    expect(chosen('on the 7th of April', 'en')).toEqual(dayOf('2025-04-07'));
    expect(chosen('March 7th at 3pm', 'en')).toEqual(slotAt('2025-03-07T12:00:00Z'));
    expect(chosen('7-го марта')).toEqual(dayOf('2025-03-07'));
  });

  it('should read a day of next week named week first as that day of next week, not this week’s', () => {
    expect(chosen('на следующей неделе во вторник', 'ru', monday)).toEqual(dayOf('2025-03-11'));
    expect(chosen('во вторник на следующей неделе', 'ru', monday)).toEqual(dayOf('2025-03-11'));
    expect(chosen('во вторник на будущей неделе', 'ru', monday)).toEqual(dayOf('2025-03-11'));
    expect(chosen('на следующей неделе во вторник в 15', 'ru', monday)).toEqual(slotAt('2025-03-11T12:00:00Z'));
    expect(chosen('next week on Tuesday', 'en', monday)).toEqual(dayOf('2025-03-11'));
    expect(chosen('on Tuesday next week', 'en', monday)).toEqual(dayOf('2025-03-11'));
    expect(chosen('next week on Tuesday at 3pm', 'en', monday)).toEqual(slotAt('2025-03-11T12:00:00Z'));
    // From Wednesday, not a week from today (the 12th).
    expect(chosen('на следующей неделе во вторник')).toEqual(dayOf('2025-03-11'));
    expect(dateAnswer('на следующей неделе в пятницу', 'ru', monday)).toEqual({ ok: true, value: '2025-03-14' });
    // Without the week, Tuesday is this week's.
    expect(chosen('во вторник', 'ru', monday)).toEqual(dayOf('2025-03-04'));
  });
});
