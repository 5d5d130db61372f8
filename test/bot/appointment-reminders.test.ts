import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Types, type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointmentModel, type AppointmentRecord } from '../../server/appointments/appointment-model.js';
import {
  processAppointmentReminder,
  reminderJobId,
  syncAppointmentReminders,
} from '../../server/appointments/appointment-reminders.js';
import { connectDatabase } from '../../server/db/connect-database.js';

const connection = { host: '127.0.0.1', port: 6379 };
const HOUR = 60 * 60_000;

describe('appointment reminders', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'reminders-'));
  const queue = new Queue(`reminders-${randomBytes(6).toString('hex')}`, { connection });
  let database: Awaited<ReturnType<typeof connectDatabase>>;
  let db: Connection;

  beforeAll(async () => {
    database = await connectDatabase({ dataDir, dbName: 'reminders' });
    db = database.mongoose.connection;
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function appointment(startsAt: Date, reminders = [1440, 60]): Promise<AppointmentRecord> {
    const Appointment = await appointmentModel(db);
    const created = await Appointment.create({
      title: 'Консультация',
      managerId: new Types.ObjectId(),
      startsAt,
      endsAt: new Date(+startsAt + HOUR),
      reminders,
      createdBy: { kind: 'automation', id: 'bot' },
    });
    return created.toObject<AppointmentRecord>();
  }

  const delayOf = async (id: string) => {
    const job = await queue.getJob(id);
    return job ? { state: await job.getState(), fireAt: job.timestamp + (job.opts.delay ?? 0) } : undefined;
  };

  it('should schedule 24 h and 1 h reminders as delayed jobs with fixed ids, and move them with the appointment', async () => {
    const now = new Date();
    const booked = await appointment(new Date(+now + 48 * HOUR));
    const id = String(booked._id);
    expect(await syncAppointmentReminders(queue, booked, { now })).toEqual([
      reminderJobId(id, 1440),
      reminderJobId(id, 60),
    ]);
    const day = await delayOf(reminderJobId(id, 1440));
    expect(day?.state).toBe('delayed');
    expect(Math.abs(day!.fireAt - (+booked.startsAt - 24 * HOUR))).toBeLessThan(2000);

    // Scheduling again changes nothing but the delays: still one job per offset.
    const moved = { ...booked, startsAt: new Date(+booked.startsAt + 3 * HOUR) };
    await syncAppointmentReminders(queue, moved, { now });
    expect(Math.abs((await delayOf(reminderJobId(id, 60)))!.fireAt - (+moved.startsAt - HOUR))).toBeLessThan(2000);
    expect((await queue.getDelayed()).filter((job) => job.id?.includes(id))).toHaveLength(2);

    // Fewer offsets, then cancelled: the dropped and then all jobs go.
    await syncAppointmentReminders(queue, { ...moved, reminders: [60] }, { before: moved, now });
    expect(await delayOf(reminderJobId(id, 1440))).toBeUndefined();
    await syncAppointmentReminders(queue, { ...moved, status: 'cancelled' }, { now });
    expect(await delayOf(reminderJobId(id, 60))).toBeUndefined();
  });

  it('should not schedule a reminder whose moment has passed', async () => {
    const now = new Date();
    const soon = await appointment(new Date(+now + 3 * HOUR));
    expect(await syncAppointmentReminders(queue, soon, { now })).toEqual([reminderJobId(String(soon._id), 60)]);
  });

  it('should deliver a due reminder through a worker and skip one left over from before a move', async () => {
    const now = new Date();
    const booked = await appointment(new Date(+now + HOUR + 1500), [60]);
    const delivered: [string, number][] = [];
    const outcomes: string[] = [];
    const worker = new Worker(
      queue.name,
      async (job) => {
        const outcome = await processAppointmentReminder(db, job, async (a, minutes) => {
          delivered.push([String(a._id), minutes]);
        });
        outcomes.push(outcome);
      },
      { connection },
    );
    try {
      await syncAppointmentReminders(queue, booked, { now });
      const deadline = Date.now() + 10_000;
      while (outcomes.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(delivered).toEqual([[String(booked._id), 60]]);

      const Appointment = await appointmentModel(db);
      await Appointment.updateOne({ _id: booked._id }, { startsAt: new Date(+booked.startsAt + HOUR) });
      const stale = await processAppointmentReminder(
        db,
        { data: { appointmentId: String(booked._id), minutesBefore: 60, startsAt: booked.startsAt.toISOString() } },
        async () => {
          throw new Error('a stale reminder must not be delivered');
        },
      );
      expect(stale).toBe('stale');
    } finally {
      await worker.close();
    }
  });
});
