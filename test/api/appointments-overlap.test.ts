import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointmentModel } from '../../server/appointments/appointment-model.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';

describe('appointments', () => {
  let api: TestApi;
  let operator: ApiClient;
  let manager: ApiClient;

  beforeAll(async () => {
    api = await startTestApi();
    operator = await api.as('operator');
    manager = await api.as('manager');
  });
  afterAll(() => api?.close());

  /** A fresh manager per test, so calendars never collide between tests. */
  const slot = (managerId: string, from: string, to: string) => ({
    title: 'Консультация по окнам',
    managerId,
    startsAt: `2030-05-20T${from}:00+03:00`,
    endsAt: `2030-05-20T${to}:00+03:00`,
    onlineUrl: 'https://meet.example.com/room',
  });

  it("should book into a manager's calendar and refuse an overlapping booking with 409, writing nothing", async () => {
    const { id } = await api.createUser({ role: 'manager' });
    const booked = await operator.post('/appointments', slot(id, '10:00', '11:00'));
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ status: 'planned', reminders: [60], managerId: id });

    const Appointment = await appointmentModel(api.db);
    const before = await Appointment.countDocuments({ managerId: id });
    const overlapping = await operator.post('/appointments', slot(id, '10:30', '11:30'));
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.error.details.appointmentId).toBe(booked.body.id);
    expect(await Appointment.countDocuments({ managerId: id })).toBe(before);

    expect((await operator.post('/appointments', slot(id, '11:00', '12:00'))).status).toBe(201);
    const other = await api.createUser({ role: 'manager' });
    expect((await operator.post('/appointments', slot(other.id, '10:30', '11:30'))).status).toBe(201);
  });

  it('should free the time of a cancelled appointment and refuse rescheduling onto a busy slot', async () => {
    const { id } = await api.createUser({ role: 'manager' });
    const first = await manager.post('/appointments', slot(id, '09:00', '10:00'));
    const second = await manager.post('/appointments', slot(id, '12:00', '13:00'));
    const moved = await manager.patch(`/appointments/${second.body.id}`, { startsAt: '2030-05-20T09:30:00+03:00' });
    expect(moved.status).toBe(409);
    expect((await manager.get(`/appointments/${second.body.id}`)).body.startsAt).toBe('2030-05-20T09:00:00.000Z');

    expect((await manager.patch(`/appointments/${first.body.id}`, { status: 'cancelled' })).status).toBe(200);
    const rebooked = await manager.patch(`/appointments/${second.body.id}`, { startsAt: '2030-05-20T09:30:00+03:00' });
    expect(rebooked.status).toBe(200);
    expect((await manager.patch(`/appointments/${first.body.id}`, { status: 'planned' })).status).toBe(409);
  });

  it('should keep at most one of two racing bookings of the same time', async () => {
    const { id } = await api.createUser({ role: 'manager' });
    const results = await Promise.all([1, 2, 3].map(() => manager.post('/appointments', slot(id, '15:00', '16:00'))));
    expect(results.filter((r) => r.status === 201).length).toBeLessThanOrEqual(1);
    const Appointment = await appointmentModel(api.db);
    expect(await Appointment.countDocuments({ managerId: id })).toBeLessThanOrEqual(1);
  });

  it('should validate times, place vs. link, and let list/delete work by window', async () => {
    const { id } = await api.createUser({ role: 'manager' });
    expect((await manager.post('/appointments', slot(id, '11:00', '10:00'))).status).toBe(400);
    expect((await manager.post('/appointments', { ...slot(id, '10:00', '11:00'), place: 'Офис' })).status).toBe(400);
    expect((await manager.post('/appointments', { ...slot(id, '10:00', '11:00'), status: 'later' })).status).toBe(400);
    const booked = await manager.post('/appointments', { ...slot(id, '10:00', '11:00'), reminders: [15, 1440, 15] });
    expect(booked.body.reminders).toEqual([1440, 15]);
    const window = await manager.get(`/appointments?managerId=${id}&from=2030-05-20T06:30:00Z&to=2030-05-20T07:30:00Z`);
    expect(window.body.items.map((a: { id: string }) => a.id)).toEqual([booked.body.id]);
    expect((await operator.delete(`/appointments/${booked.body.id}`)).status).toBe(404);
    expect((await manager.delete(`/appointments/${booked.body.id}`)).status).toBe(204);
  });
});
