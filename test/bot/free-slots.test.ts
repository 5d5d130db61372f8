import { describe, expect, it } from 'vitest';
import { freeSlots } from '../../bot/assistant/booking/free-slots.js';
import { slotButtons, slotFromButton } from '../../bot/assistant/booking/slot-buttons.js';

// Thursday 26 November 2026, 10:00 in Moscow.
const now = new Date('2026-11-26T07:00:00Z');
const weekdays = (from: string, to: string) => [1, 2, 3, 4, 5].map((weekday) => ({ weekday, from, to }));
const anna = { id: 'anna', workingHours: weekdays('09:00', '13:00'), timeZone: 'Europe/Moscow' };
const boris = { id: 'boris', workingHours: [{ weekday: 5, from: '11:00', to: '13:00' }], timeZone: 'Europe/Moscow' };
const local = (date: Date) => date.toLocaleString('sv-SE', { timeZone: 'Europe/Moscow' }).slice(0, 16);

describe('freeSlots', () => {
  it('should cut working hours into slots after the notice, skip busy time and weekends', () => {
    const slots = freeSlots({
      managers: [anna],
      busy: [
        { managerId: 'anna', startsAt: new Date('2026-11-27T07:30:00Z'), endsAt: new Date('2026-11-27T08:00:00Z') },
      ],
      slotMinutes: 60,
      minNoticeMinutes: 120,
      days: 5,
      now,
      clientTimeZone: 'Europe/Moscow',
    });
    expect(slots.map((slot) => local(slot.startsAt))).toEqual([
      '2026-11-26 12:00',
      '2026-11-27 09:00',
      // 10:30–11:00 is busy: the 10:00 slot touches it, 11:00 starts when it ends.
      '2026-11-27 11:00',
      '2026-11-27 12:00',
      '2026-11-30 09:00',
      '2026-11-30 10:00',
      '2026-11-30 11:00',
      '2026-11-30 12:00',
    ]);
    expect(slots[0]).toMatchObject({ managerIds: ['anna'], endsAt: new Date('2026-11-26T10:00:00Z') });
  });

  it('should list a slot once with every free manager', () => {
    const slots = freeSlots({
      managers: [anna, boris],
      busy: [],
      slotMinutes: 60,
      minNoticeMinutes: 0,
      days: 2,
      now,
      clientTimeZone: 'Europe/Moscow',
    });
    const friday = slots.filter((slot) => local(slot.startsAt).startsWith('2026-11-27'));
    expect(friday.map((slot) => [local(slot.startsAt).slice(11), slot.managerIds])).toEqual([
      ['09:00', ['anna']],
      ['10:00', ['anna']],
      ['11:00', ['anna', 'boris']],
      ['12:00', ['anna', 'boris']],
    ]);
  });

  it("should read each manager's hours in their own zone and the days in the client's", () => {
    const novosibirsk = { id: 'nsk', workingHours: weekdays('09:00', '10:00'), timeZone: 'Asia/Novosibirsk' };
    const slots = freeSlots({
      managers: [novosibirsk],
      busy: [],
      slotMinutes: 30,
      minNoticeMinutes: 0,
      days: 2,
      now,
      clientTimeZone: 'Europe/Moscow',
    });
    // 09:00 in Novosibirsk (UTC+7) is 05:00 in Moscow; today's have passed.
    expect(slots.map((slot) => local(slot.startsAt))).toEqual(['2026-11-27 05:00', '2026-11-27 05:30']);
  });
});

describe('slotButtons', () => {
  it('should group the next days, three slots a day spread over it, labelled in the client language', () => {
    const slots = freeSlots({
      managers: [anna],
      busy: [],
      slotMinutes: 30,
      minNoticeMinutes: 0,
      days: 7,
      now,
      clientTimeZone: 'Europe/Moscow',
    });
    const days = slotButtons(slots, { timeZone: 'Europe/Moscow', language: 'ru' });
    expect(days.map((day) => [day.date, day.label, day.buttons.map((b) => b.text)])).toEqual([
      ['2026-11-26', 'чт, 26 ноября', ['10:00', '11:30', '12:30']],
      ['2026-11-27', 'пт, 27 ноября', ['09:00', '11:00', '12:30']],
      ['2026-11-30', 'пн, 30 ноября', ['09:00', '11:00', '12:30']],
    ]);
    const first = days[0]!.buttons[0]!;
    expect(first.id).toBe('slot:2026-11-26T07:00:00.000Z');
    expect(Buffer.byteLength(first.id)).toBeLessThanOrEqual(64);
    expect(slotFromButton(first.id)).toEqual(new Date('2026-11-26T07:00:00Z'));
    expect(slotFromButton('book-measurement')).toBeUndefined();
    expect(slotButtons(slots, { timeZone: 'Europe/Moscow', language: 'en', maxDays: 1 })[0]?.label).toBe(
      'Thu, 26 November',
    );
  });
});
