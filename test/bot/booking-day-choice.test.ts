import { describe, expect, it } from 'vitest';
import { dayOfferMessage } from '../../bot/assistant/booking/day-offer-message.js';
import { freeSlots } from '../../bot/assistant/booking/free-slots.js';
import { readChosenTime } from '../../bot/assistant/booking/read-chosen-time.js';

/** Wednesday 5 March 2025, 23:30 in Moscow (20:30 UTC): "завтра" is Thursday there, not in UTC's evening. */
const now = new Date('2025-03-05T20:30:00Z');
const moscow = { now, timeZone: 'Europe/Moscow' };
const day = (text: string, language: 'ru' | 'en' = 'ru', timeZone = 'Europe/Moscow') =>
  readChosenTime({ text }, { language, now, timeZone });

const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, from: '10:00', to: '14:00' }));
const slots = freeSlots({
  managers: [{ id: 'anna', workingHours: weekdays, timeZone: 'Europe/Moscow' }],
  busy: [],
  slotMinutes: 60,
  days: 10,
  ...moscow,
  clientTimeZone: 'Europe/Moscow',
});
const offer = { timeZone: 'Europe/Moscow', offerDays: 3, perDay: 3 };
const captions = (message: { buttons: { text: string }[] }) => message.buttons.map((button) => button.text);

/**
 * A client offered slots who names a day without an hour ("завтра", "в пятницу", "tomorrow") is
 * shown that day's free times instead of "I did not catch the time"; a day and an hour still book.
 */
describe('choosing a booking day in words', () => {
  it('should read a day without an hour as that day, in the booking’s zone', () => {
    expect(day('завтра')).toEqual({ type: 'day', date: '2025-03-06', days: 1 });
    expect(day('послезавтра')).toEqual({ type: 'day', date: '2025-03-07', days: 1 });
    expect(day('давайте в пятницу')).toEqual({ type: 'day', date: '2025-03-07', days: 1 });
    expect(day('можно в понедельник?')).toEqual({ type: 'day', date: '2025-03-10', days: 1 });
    // Wednesday evening: "в среду" is next week's.
    expect(day('в среду')).toEqual({ type: 'day', date: '2025-03-12', days: 1 });
    expect(day('tomorrow', 'en')).toEqual({ type: 'day', date: '2025-03-06', days: 1 });
    expect(day('the day after tomorrow', 'en')).toEqual({ type: 'day', date: '2025-03-07', days: 1 });
    expect(day('on Friday', 'en')).toEqual({ type: 'day', date: '2025-03-07', days: 1 });
    // 06:30 on Thursday in Vladivostok already: its "tomorrow" is Friday.
    expect(day('завтра', 'ru', 'Asia/Vladivostok')).toEqual({ type: 'day', date: '2025-03-07', days: 1 });
  });

  it('should read a day with an hour, or a slot button, as a moment to book, and nothing else as a choice', () => {
    expect(day('завтра в 15')).toEqual({ type: 'slot', startsAt: new Date('2025-03-06T12:00:00Z') });
    expect(day('в пятницу в 11')).toEqual({ type: 'slot', startsAt: new Date('2025-03-07T08:00:00Z') });
    expect(day('tomorrow at 3 pm', 'en')).toEqual({ type: 'slot', startsAt: new Date('2025-03-06T12:00:00Z') });
    expect(
      readChosenTime(
        { buttonId: 'slot:2025-03-07T07:00:00.000Z', text: 'пт 07.03 10:00' },
        { language: 'ru', ...moscow },
      ),
    ).toEqual({ type: 'slot', startsAt: new Date('2025-03-07T07:00:00Z') });
    expect(day('не знаю, посмотрю')).toBeUndefined();
  });

  it('should read a Russian day.month without a year, and not a time or an amount', () => {
    expect(day('07.03')).toEqual({ type: 'day', date: '2025-03-07', days: 1 });
    expect(day('давайте 7.03 в 11')).toEqual({ type: 'slot', startsAt: new Date('2025-03-07T08:00:00Z') });
    // A day already past this year is next year's.
    expect(day('02.03')).toEqual({ type: 'day', date: '2026-03-02', days: 1 });
    expect(day('завтра в 10.30')).toEqual({ type: 'slot', startsAt: new Date('2025-03-06T07:30:00Z') });
    expect(day('бюджет 1.50 млн')).toBeUndefined();
    expect(day('31.02')).toBeUndefined();
  });

  it('should read a day.month with punctuation after it, a year, a slash or an ordinal, day first', () => {
    // The sentence goes on after the date: the date is still the day, not tomorrow.
    expect(day('07.03, в 11')).toEqual({ type: 'slot', startsAt: new Date('2025-03-07T08:00:00Z') });
    expect(day('давайте 07.03, после обеда')).toEqual({ type: 'slot', startsAt: new Date('2025-03-07T11:00:00Z') });
    expect(day('Давайте 7.03.')).toEqual({ type: 'day', date: '2025-03-07', days: 1 });
    expect(day('07.03.2027')).toEqual({ type: 'day', date: '2027-03-07', days: 1 });
    expect(day('07.03.27')).toEqual({ type: 'day', date: '2027-03-07', days: 1 });
    expect(day('07/03')).toEqual({ type: 'day', date: '2025-03-07', days: 1 });
    expect(day('7-го марта')).toEqual({ type: 'day', date: '2025-03-07', days: 1 });
    expect(day('цена 2.05 м')).toBeUndefined();
  });

  it('should read an English client’s dates day first, as the bot writes them, and with the month in words', () => {
    expect(day('March 7', 'en')).toEqual({ type: 'day', date: '2025-03-07', days: 1 });
    expect(day('7 March', 'en')).toEqual({ type: 'day', date: '2025-03-07', days: 1 });
    expect(day('07.03', 'en')).toEqual({ type: 'day', date: '2025-03-07', days: 1 });
    expect(day('7/3', 'en')).toEqual({ type: 'day', date: '2025-03-07', days: 1 });
    expect(day('07/03/2027', 'en')).toEqual({ type: 'day', date: '2027-03-07', days: 1 });
    expect(day('7.03 at 11', 'en')).toEqual({ type: 'slot', startsAt: new Date('2025-03-07T08:00:00Z') });
    expect(day('02.03', 'en')).toEqual({ type: 'day', date: '2026-03-02', days: 1 });
  });

  it('should read next week however it is worded as the whole week, an hour or not', () => {
    const nextWeek = { type: 'day', date: '2025-03-10', days: 7 };
    for (const text of [
      'на будущей неделе',
      'на след. неделе',
      'следующая неделя',
      'в начале следующей недели',
      'на следующей неделе в 15',
      'на следующей неделе после обеда',
    ])
      expect(day(text), text).toEqual(nextWeek);
    for (const text of ['the following week', 'next week at 3pm', 'sometime next week'])
      expect(day(text, 'en'), text).toEqual(nextWeek);
    expect(day('на этой неделе')).toEqual({ type: 'day', date: '2025-03-05', days: 5 });
    expect(day('в пятницу на следующей неделе')).toEqual({ type: 'day', date: '2025-03-14', days: 1 });
  });

  it('should read a week named as a whole as its days, and offer a few times on each', () => {
    expect(day('на следующей неделе')).toEqual({ type: 'day', date: '2025-03-10', days: 7 });
    expect(day('next week', 'en')).toEqual({ type: 'day', date: '2025-03-10', days: 7 });
    // A day of that week is that day.
    expect(day('в четверг на следующей неделе')).toEqual({ type: 'day', date: '2025-03-13', days: 1 });
    const week = dayOfferMessage('2025-03-10', slots, { ...offer, language: 'ru' }, 7);
    expect(week.text).toBe('Свободное время 10–16 марта:');
    // The ten days of free slots reach Friday 14 March: five working days, two times each.
    expect(captions(week)).toEqual([
      'пн 10.03 10:00',
      'пн 10.03 13:00',
      'вт 11.03 10:00',
      'вт 11.03 13:00',
      'ср 12.03 10:00',
      'ср 12.03 13:00',
      'чт 13.03 10:00',
      'чт 13.03 13:00',
      'пт 14.03 10:00',
      'пт 14.03 13:00',
    ]);
    expect(dayOfferMessage('2025-03-10', slots, { ...offer, language: 'en' }, 7).text).toBe('Free times 10–16 March:');
  });

  it('should offer the free times of the day named, in the client’s language', () => {
    const friday = dayOfferMessage('2025-03-07', slots, { ...offer, language: 'ru' });
    expect(friday.text).toBe('Свободное время — пятница, 7 марта:');
    expect(captions(friday)).toEqual(['пт 07.03 10:00', 'пт 07.03 11:00', 'пт 07.03 12:00', 'пт 07.03 13:00']);
    expect(friday.buttons[0]!.id).toBe('slot:2025-03-07T07:00:00.000Z');
    const thursday = dayOfferMessage('2025-03-06', slots, { ...offer, language: 'en' });
    expect(thursday.text).toBe('Free times on Thursday, 6 March:');
    expect(captions(thursday)).toEqual(['Thu 06.03 10:00', 'Thu 06.03 11:00', 'Thu 06.03 12:00', 'Thu 06.03 13:00']);
  });

  it('should offer the nearest free times after a day without any, and say so', () => {
    const saturday = dayOfferMessage('2025-03-08', slots, { ...offer, language: 'ru' });
    expect(saturday.text).toBe('На этот день свободного времени нет. Вот ближайшее:');
    // Monday, Tuesday, Wednesday: three days of three slots spread over each.
    expect(captions(saturday).slice(0, 3)).toEqual(['пн 10.03 10:00', 'пн 10.03 12:00', 'пн 10.03 13:00']);
    expect(captions(saturday)).toHaveLength(9);
    const farAway = dayOfferMessage('2025-04-01', slots, { ...offer, language: 'en' });
    expect(farAway.text).toBe('That day is fully booked. Here are the nearest free times:');
    expect(captions(farAway)[0]).toBe('Thu 06.03 10:00');
  });
});
