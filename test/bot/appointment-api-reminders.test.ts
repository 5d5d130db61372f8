import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointmentReminderQueue, reminderJobId } from '../../server/appointments/appointment-reminders.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';

const HOUR = 60 * 60_000;

/**
 * Staff booking, moving and cancelling appointments through the API keep the reminder jobs in step
 * (booked: one per offset; moved: the new moments; cancelled or deleted: none), and a move takes the
 * calendar's lease, so a move and a booking racing for one slot never both get it.
 */
describe('appointment reminders from the API', () => {
  let api: TestApi;
  let manager: ApiClient;

  beforeAll(async () => {
    api = await startTestApi({ env: { REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}` } });
    manager = await api.as('manager');
  }, 60_000);
  afterAll(() => api?.close());

  const at = (hoursAhead: number) => new Date(Math.ceil(Date.now() / HOUR) * HOUR + hoursAhead * HOUR);
  const fireAt = async (id: string, minutes: number) => {
    const job = await appointmentReminderQueue(api.app.services.queues).getJob(reminderJobId(id, minutes));
    return job ? job.timestamp + (job.opts.delay ?? 0) : undefined;
  };
  const booking = (managerId: string, startsAt: Date) => ({
    title: 'Консультация',
    managerId,
    startsAt: startsAt.toISOString(),
    endsAt: new Date(+startsAt + HOUR).toISOString(),
    reminders: [1440, 60],
  });

  it('should schedule, move and drop the reminder jobs with the appointment', async () => {
    const { id: managerId } = await api.createUser({ role: 'manager' });
    const startsAt = at(48);
    const created = await manager.post('/appointments', booking(managerId, startsAt));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(Math.abs((await fireAt(id, 1440))! - (+startsAt - 24 * HOUR))).toBeLessThan(5000);
    expect(Math.abs((await fireAt(id, 60))! - (+startsAt - HOUR))).toBeLessThan(5000);

    const later = at(50);
    const moved = await manager.patch(`/appointments/${id}`, {
      startsAt: later.toISOString(),
      endsAt: new Date(+later + HOUR).toISOString(),
    });
    expect(moved.status).toBe(200);
    expect(Math.abs((await fireAt(id, 60))! - (+later - HOUR))).toBeLessThan(5000);

    expect((await manager.patch(`/appointments/${id}`, { status: 'cancelled' })).status).toBe(200);
    expect(await fireAt(id, 60)).toBeUndefined();
    expect(await fireAt(id, 1440)).toBeUndefined();

    const again = await manager.post('/appointments', booking(managerId, at(30)));
    expect(await fireAt(again.body.id, 60)).toBeDefined();
    expect((await manager.delete(`/appointments/${again.body.id}`)).status).toBe(204);
    expect(await fireAt(again.body.id, 60)).toBeUndefined();
  });

  it('should never let a move and a booking of the same slot both succeed', async () => {
    const { id: managerId } = await api.createUser({ role: 'manager' });
    const existing = await manager.post('/appointments', booking(managerId, at(72)));
    const target = at(75);
    const results = await Promise.all([
      manager.patch(`/appointments/${existing.body.id}`, {
        startsAt: target.toISOString(),
        endsAt: new Date(+target + HOUR).toISOString(),
      }),
      manager.post('/appointments', booking(managerId, target)),
    ]);
    const won = results.filter((result) => result.status === 200 || result.status === 201);
    expect(won).toHaveLength(1);
    expect(results.filter((result) => result.status === 409)).toHaveLength(1);
  });
});
