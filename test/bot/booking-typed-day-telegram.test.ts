import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../wait-until.js';
import { enrollClient, lastButtons, nextMessage, plannedAppointments, startBookingApp } from './booking-fixture.js';
import type { FrontDoorApp } from './front-door-fixture.js';

const ZONE = 'Europe/Moscow';
/** The windows template's slot offer, in both languages. */
const OFFER = { ru: 'Выберите удобное время', en: 'Pick a time' } as const;

/** The local day of a slot button's id (`slot:<ISO>`), in the booking's zone. */
const dayOf = (button: { id: string }) =>
  DateTime.fromISO(button.id.slice('slot:'.length), { zone: ZONE }).toISODate() ?? '';

/**
 * A client offered slots on Telegram answers in their own words instead of pressing a button:
 * a day.month the Russian way («02.12, после обеда», "2/12"), next week as a whole («на будущей
 * неделе»), or a question of their own («сколько стоит замер…?»), which the bot answers and then
 * offers the slots again, booking nothing. Real app, Redis, store and the Bot API stand-in; the
 * dates are counted from today, so the slots the test expects always exist (open around the clock).
 */
describe('booking a typed day on telegram', () => {
  let app: FrontDoorApp;
  const today = () => DateTime.now().setZone(ZONE).startOf('day');

  beforeAll(async () => {
    app = await startBookingApp();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  const planned = (contactId: string) => plannedAppointments(app, contactId);

  it('should book a day.month with a part of the day after a comma on that day, not tomorrow', async () => {
    const chat = await enrollClient(app, 'Вера');
    await nextMessage(chat.client, OFFER.ru);
    const target = today().plus({ days: 3 });
    const seen = chat.client.received().length;
    await chat.client.write(`Давайте ${target.toFormat('dd.MM')}, после обеда`);
    await nextMessage(chat.client, 'Готово, вы записаны', seen);
    const [appointment] = await waitUntil('the appointment', async () => {
      const found = await planned(chat.contactId);
      return found.length ? found : undefined;
    });
    expect(DateTime.fromJSDate(appointment!.startsAt, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm')).toBe(
      `${target.toISODate()} 14:00`,
    );
  }, 60_000);

  it('should offer the free times of a day an English client writes day first', async () => {
    const chat = await enrollClient(app, 'Emma', 'en');
    await nextMessage(chat.client, OFFER.en);
    const target = today().plus({ days: 4 });
    const seen = chat.client.received().length;
    await chat.client.write(`${target.day}/${target.month}`);
    const offer = await nextMessage(chat.client, 'Free times on', seen);
    expect(offer.text).toBe(`Free times on ${target.setLocale('en').toFormat('cccc, d MMMM')}:`);
    const buttons = await lastButtons(app, chat.conversationId);
    expect(buttons.length).toBeGreaterThan(0);
    expect(buttons.every((button) => dayOf(button) === target.toISODate())).toBe(true);
    expect(await planned(chat.contactId)).toEqual([]);
  }, 60_000);

  it('should offer a few times on each free day of next week for «на будущей неделе»', async () => {
    const chat = await enrollClient(app, 'Глеб');
    await nextMessage(chat.client, OFFER.ru);
    const monday = today().startOf('week').plus({ weeks: 1 });
    const seen = chat.client.received().length;
    await chat.client.write('Лучше на будущей неделе');
    const offer = await nextMessage(chat.client, 'Свободное время', seen);
    expect(offer.text).toMatch(/^Свободное время \d/);
    const days = (await lastButtons(app, chat.conversationId)).map(dayOf);
    // Open around the clock: the first five days of that week, two times each.
    const week = [0, 1, 2, 3, 4].map((plus) => monday.plus({ days: plus }).toISODate());
    expect(days).toEqual(week.flatMap((day) => [day, day]));
  }, 60_000);

  it('should answer a question asked while slots are offered, offer them again, and book nothing', async () => {
    const chat = await enrollClient(app, 'Нина');
    const first = await nextMessage(chat.client, OFFER.ru);
    const seen = chat.client.received().length;
    // A time in the question is not a choice of it.
    await chat.client.write('Сколько стоит замер завтра в 15?');
    const again = await nextMessage(chat.client, OFFER.ru, seen);
    const between = chat.client.received().slice(seen);
    // The bot's own answer (or its "I will check with a manager") comes first, then the offer again.
    expect(between.indexOf(again)).toBeGreaterThan(0);
    expect(again.text).toBe(first.text);
    expect((await lastButtons(app, chat.conversationId)).every((button) => button.id.startsWith('slot:'))).toBe(true);
    expect(between.some((message) => /Готово|Свободное время/.test(message.text ?? ''))).toBe(false);
    expect(await planned(chat.contactId)).toEqual([]);
  }, 60_000);

  it('should take a question whether a day is free for the choice of that day, without a knowledge-base reply', async () => {
    const chat = await enrollClient(app, 'Лев');
    await nextMessage(chat.client, OFFER.ru);
    const target = today().plus({ days: 2 });
    const seen = chat.client.received().length;
    await chat.client.write('Можно ли послезавтра?');
    const offer = await chat.client.reply(seen);
    expect(offer.text).toBe(`Свободное время — ${target.setLocale('ru').toFormat('cccc, d MMMM')}:`);
    const buttons = await lastButtons(app, chat.conversationId);
    expect(buttons.length).toBeGreaterThan(0);
    expect(buttons.every((button) => dayOf(button) === target.toISODate())).toBe(true);
  }, 60_000);
});
