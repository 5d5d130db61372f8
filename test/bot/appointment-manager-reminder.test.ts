import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processAppointmentReminder } from '../../server/appointments/appointment-reminders.js';
import { remindManager } from '../../server/appointments/remind-manager.js';
import { startTestApi, TEST_PASSWORD, type ApiClient, type TestApi } from '../api/api-harness.js';
import { waitUntil } from '../wait-until.js';

const MINUTE = 60_000;

interface Bell {
  kind: string;
  actor: { id: string; name: string } | null;
  contactId?: string;
  preview: string;
}

/**
 * The manager of a booked consultation is reminded of it in their bell at the client's lead times,
 * by the same delayed reminder job that reminds the client (real app, worker, Redis and store),
 * once per appointment and offset however often the job runs, and not at all after a move.
 */
describe('manager reminder of an appointment', () => {
  let api: TestApi;
  let booker: ApiClient;

  beforeAll(async () => {
    api = await startTestApi({ env: { REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}` } });
    booker = await api.as('operator');
  }, 60_000);
  afterAll(() => api?.close());

  /** A manager of their own, in Yekaterinburg (+05:00), signed in to read their bell. */
  async function newManager(): Promise<ApiClient> {
    const user = await api.createUser({ role: 'manager', timeZone: 'Asia/Yekaterinburg', language: 'ru' });
    return api.login(user.email, TEST_PASSWORD);
  }

  const bell = async (manager: ApiClient): Promise<Bell[]> => (await manager.get('/notifications')).body.items;

  it('should ring the manager’s bell when the reminder comes due, with the meeting and the client', async () => {
    const manager = await newManager();
    const name = `Ирина ${randomBytes(2).toString('hex')}`;
    const contact = await booker.post('/contacts', { name, phones: ['+7 916 555-12-34'] });
    expect(contact.status).toBe(201);
    // One hour and a few seconds ahead: the one-hour reminder comes due in a few seconds.
    const startsAt = new Date(Math.ceil((Date.now() + 60 * MINUTE + 4000) / 1000) * 1000);
    const booked = await booker.post('/appointments', {
      title: 'Консультация по проекту дома',
      managerId: manager.user!.id,
      contactId: contact.body.id,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(+startsAt + 60 * MINUTE).toISOString(),
      place: 'офис «ЭкоСтрой»',
      reminders: [1440, 60],
    });
    expect(booked.status).toBe(201);

    const [reminder] = await waitUntil('the manager’s reminder', async () => {
      const items = await bell(manager);
      return items.length > 0 ? items : undefined;
    });
    const local = new Intl.DateTimeFormat('ru', {
      timeZone: 'Asia/Yekaterinburg',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(startsAt);
    // Its own kind, so the bell titles it «Напоминание о встрече» rather than as a flow's message.
    expect(reminder).toMatchObject({ kind: 'appointment', actor: null, contactId: contact.body.id });
    expect(reminder!.preview.split('\n')).toEqual([
      'Напоминаем: скоро у вас:',
      expect.stringMatching(new RegExp(`^Консультация по проекту дома — .+, ${local} \\(Asia/Yekaterinburg\\)$`, 'u')),
      'Адрес: офис «ЭкоСтрой»',
      `Клиент: ${name}, +79165551234`,
    ]);

    // The job retried (or run again by a second worker): still one notification.
    const job = {
      data: { appointmentId: booked.body.id, minutesBefore: 60, startsAt: startsAt.toISOString() },
    };
    expect(await processAppointmentReminder(api.db, job, remindManager(api.app.services))).toBe('sent');
    expect(await processAppointmentReminder(api.db, job, remindManager(api.app.services))).toBe('sent');
    expect(await bell(manager)).toHaveLength(1);

    // Moved since: the old job is stale and rings nothing.
    const later = new Date(+startsAt + 3 * 60 * MINUTE);
    const moved = await booker.patch(`/appointments/${booked.body.id}`, {
      startsAt: later.toISOString(),
      endsAt: new Date(+later + 60 * MINUTE).toISOString(),
    });
    expect(moved.status).toBe(200);
    expect(await processAppointmentReminder(api.db, job, remindManager(api.app.services))).toBe('stale');
    expect(await bell(manager)).toHaveLength(1);
  }, 60_000);

  it('should word the reminder in the manager’s language, a day ahead as "tomorrow"', async () => {
    const user = await api.createUser({ role: 'manager', language: 'en', timeZone: 'Europe/London' });
    const manager = await api.login(user.email, TEST_PASSWORD);
    const startsAt = new Date(Math.ceil((Date.now() + 26 * 60 * MINUTE) / 3_600_000) * 3_600_000);
    const booked = await booker.post('/appointments', {
      title: 'Consultation',
      managerId: user.id,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(+startsAt + 60 * MINUTE).toISOString(),
      reminders: [1440],
    });
    expect(booked.status).toBe(201);
    const job = { data: { appointmentId: booked.body.id, minutesBefore: 1440, startsAt: startsAt.toISOString() } };
    await processAppointmentReminder(api.db, job, remindManager(api.app.services));
    const [reminder] = await bell(manager);
    expect(reminder).toMatchObject({ kind: 'appointment', actor: null });
    expect(reminder!.preview).toMatch(/^A reminder: tomorrow you have:\nConsultation — .+ \(Europe\/London\)$/u);
  });
});
