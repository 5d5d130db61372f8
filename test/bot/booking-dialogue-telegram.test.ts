import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreeSlots } from '../../bot/assistant/booking/book-slot.js';
import {
  appointmentModel,
  type AppointmentRecord,
  type AppointmentStatus,
} from '../../server/appointments/appointment-model.js';
import { appointmentReminderQueue, reminderJobId } from '../../server/appointments/appointment-reminders.js';
import { dealModel, type DealRecord } from '../../server/deals/deal-model.js';
import { contactTimeline } from '../../server/messaging/contact-timeline.js';
import { taskModel, type TaskRecord } from '../../server/tasks/task-model.js';
import { waitUntil } from '../wait-until.js';
import { enrollClient, lastButtons, nextMessage, startBookingApp, type BookingChat } from './booking-fixture.js';
import type { FrontDoorApp } from './front-door-fixture.js';

const HOUR = 60 * 60_000;

/**
 * The whole booking dialogue on Telegram: slot buttons → a booked appointment with its manager's
 * task, the deal's measurement time and reminder jobs 24 h and 1 h ahead; a reminder delivered when
 * its job comes due (promoted instead of waiting a day); then "Перенести" to another slot and
 * "Отменить", each told to the manager on the timeline. Real app, Redis, store, Bot API stand-in.
 */
describe('booking a consultation on telegram', () => {
  let app: FrontDoorApp;

  beforeAll(async () => {
    app = await startBookingApp();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  const appointmentOf = async (chat: BookingChat, status: AppointmentStatus = 'planned') =>
    waitUntil(`a ${status} appointment`, async () =>
      (await appointmentModel(app.api.db))
        .findOne({ contactId: new Types.ObjectId(chat.contactId), status })
        .lean<AppointmentRecord>()
        .then((found) => found ?? undefined),
    );
  const reminderJob = (appointment: AppointmentRecord, minutes: number) =>
    appointmentReminderQueue(app.api.app.services.queues).getJob(reminderJobId(String(appointment._id), minutes));

  it('should book a pressed slot, confirm it, set the task, the deal field and both reminders, and deliver a due reminder', async () => {
    const chat = await enrollClient(app, 'Марина');
    const offer = await nextMessage(chat.client, 'Выберите удобное время');
    const buttons = await lastButtons(app, chat.conversationId);
    expect(offer.buttons).toEqual(buttons.map((button) => button.text));
    expect(buttons.length).toBeGreaterThanOrEqual(3);
    // The last offered day is more than a day ahead, so both reminders are still to come.
    const slot = buttons.at(-1)!;
    const startsAt = new Date(slot.id.slice('slot:'.length));
    expect(+startsAt - Date.now()).toBeGreaterThan(24 * HOUR);

    await chat.client.press(slot.text, slot.id);
    const confirmation = await nextMessage(chat.client, 'Готово, вы записаны на бесплатный замер');
    expect(confirmation.text).toContain('Бесплатный замер —');
    expect(confirmation.text).toContain('Специалист приедет к вам');
    expect(confirmation.buttons).toEqual(['Перенести', 'Отменить']);

    const appointment = await appointmentOf(chat);
    expect(appointment).toMatchObject({ title: 'Бесплатный замер', startsAt });
    expect(String(appointment.managerId)).toBe(app.api.users.manager.id);
    const task = await (
      await taskModel(app.api.db)
    )
      .findOne({ sourceKey: `appointment|${String(appointment._id)}` })
      .lean<TaskRecord>();
    expect(task).toMatchObject({ kind: 'measurement', dueAt: startsAt, done: false });
    expect(String(task!.assigneeId)).toBe(app.api.users.manager.id);
    expect(String(appointment.dealId)).toBe(chat.dealId);
    expect(String(task!.dealId)).toBe(chat.dealId);
    const deal = await waitUntil('the deal has the measurement time', async () => {
      const found = await (await dealModel(app.api.db)).findById(chat.dealId).lean<DealRecord>();
      return found?.customFields?.measurement_at ? found : undefined;
    });
    expect(deal.customFields?.measurement_at).toBe(startsAt.toISOString());

    const day = await reminderJob(appointment, 1440);
    const hour = await reminderJob(appointment, 60);
    expect(await day?.getState()).toBe('delayed');
    expect(await hour?.getState()).toBe('delayed');
    expect(Math.abs(hour!.timestamp + (hour!.opts.delay ?? 0) - (+startsAt - HOUR))).toBeLessThan(5000);

    // Its time comes: the hour-ahead reminder reaches the client in the chat, with the buttons.
    const seen = chat.client.received().length;
    await hour!.promote();
    const reminder = await nextMessage(chat.client, 'Напоминаем: скоро у вас', seen);
    expect(reminder.text).toContain('Бесплатный замер');
    expect(reminder.buttons).toEqual(['Перенести', 'Отменить']);
  }, 90_000);

  it('should move the appointment to another slot and then cancel it from the chat, telling the manager', async () => {
    const chat = await enrollClient(app, 'Олег');
    await nextMessage(chat.client, 'Выберите удобное время');
    const slot = (await lastButtons(app, chat.conversationId)).at(-1)!;
    await chat.client.press(slot.text, slot.id);
    await nextMessage(chat.client, 'Готово');
    const booked = await appointmentOf(chat);
    const id = String(booked._id);

    let seen = chat.client.received().length;
    await chat.client.press('Перенести', `appt-move:${id}`);
    await nextMessage(chat.client, 'На какое время перенести?', seen);
    const moves = await lastButtons(app, chat.conversationId);
    expect(moves.every((button) => button.id.startsWith(`appt-at:${id}:`))).toBe(true);
    const target = moves[0]!;
    const movedTo = new Date(target.id.slice(`appt-at:${id}:`.length));

    seen = chat.client.received().length;
    await chat.client.press(target.text, target.id);
    const moved = await nextMessage(chat.client, 'Запись перенесена', seen);
    expect(moved.buttons).toEqual(['Перенести', 'Отменить']);
    const after = await appointmentModel(app.api.db).then((Appointment) =>
      Appointment.findById(id).lean<AppointmentRecord>(),
    );
    expect(after?.startsAt).toEqual(movedTo);
    const hour = await reminderJob(after!, 60);
    if (+movedTo - Date.now() > HOUR)
      expect(Math.abs(hour!.timestamp + (hour!.opts.delay ?? 0) - (+movedTo - HOUR))).toBeLessThan(5000);
    const task = await (await taskModel(app.api.db)).findOne({ sourceKey: `appointment|${id}` }).lean<TaskRecord>();
    expect(task?.dueAt).toEqual(movedTo);

    seen = chat.client.received().length;
    await chat.client.press('Отменить', `appt-cancel:${id}`);
    await nextMessage(chat.client, 'Запись отменена', seen);
    const cancelled = await appointmentOf(chat, 'cancelled');
    expect(String(cancelled._id)).toBe(id);
    expect(await reminderJob(cancelled, 60)).toBeUndefined();
    expect(await reminderJob(cancelled, 1440)).toBeUndefined();
    const closed = await (await taskModel(app.api.db)).findOne({ sourceKey: `appointment|${id}` }).lean<TaskRecord>();
    expect(closed).toMatchObject({ done: true, result: 'Запись отменена' });

    const { items } = await contactTimeline(app.api.app.services, chat.contactId, { limit: 50 });
    const notes = items.flatMap((item) => (item.kind === 'note' ? [item.note.text] : []));
    expect(notes.some((text) => text.startsWith('Клиент перенёс запись «Бесплатный замер»'))).toBe(true);
    expect(notes.some((text) => text.startsWith('Клиент отменил запись «Бесплатный замер»'))).toBe(true);

    // The cancelled time is free again.
    const free = await findFreeSlots(app.api.db, {
      settings: { managerIds: [app.api.users.manager.id], slotMinutes: 60 },
      now: new Date(),
      clientTimeZone: 'Europe/Moscow',
    });
    expect(free.map((slot) => +slot.startsAt)).toContain(+movedTo);
  }, 90_000);

  it('should read a typed time with the extractors, and offer the slots again for an answer with no time', async () => {
    const chat = await enrollClient(app, 'Павел');
    await nextMessage(chat.client, 'Выберите удобное время');
    let seen = chat.client.received().length;
    await chat.client.write('пока не знаю');
    const retry = await nextMessage(chat.client, 'Не получилось понять, какое время вам удобно', seen);
    expect(retry.buttons?.length).toBeGreaterThan(0);

    seen = chat.client.received().length;
    await chat.client.write('послезавтра в 15');
    await nextMessage(chat.client, 'Готово', seen);
    const appointment = await appointmentOf(chat);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Moscow',
      hour: '2-digit',
      minute: '2-digit',
    }).format(appointment.startsAt);
    expect(local).toBe('15:00');
    expect(+appointment.startsAt - Date.now()).toBeGreaterThan(24 * HOUR);
  }, 90_000);
});
