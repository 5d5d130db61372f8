import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookSlot, findFreeSlots } from '../../bot/assistant/booking/book-slot.js';
import { appointmentModel } from '../../server/appointments/appointment-model.js';
import { connectDatabase } from '../../server/db/connect-database.js';
import { userModels } from '../../server/users/user-models.js';

// Thursday 26 November 2026, 10:00 in Moscow.
const now = new Date('2026-11-26T07:00:00Z');

describe('bookSlot', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'booking-'));
  let database: Awaited<ReturnType<typeof connectDatabase>>;
  let db: Connection;

  beforeAll(async () => {
    database = process.env.MONGODB_URI
      ? await connectDatabase({
          uri: process.env.MONGODB_URI.replace(/\/[^/?]*(\?|$)/, `/booking_${randomBytes(4).toString('hex')}$1`),
        })
      : await connectDatabase({ dataDir, dbName: 'booking' });
    db = database.mongoose.connection;
  });
  afterAll(async () => {
    if (process.env.MONGODB_URI) await db.dropDatabase();
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A manager of their own per test, working 09:00–13:00 Moscow time on weekdays. */
  async function manager(): Promise<string> {
    const { User } = userModels(db);
    const user = await User.create({
      name: 'Елена Морозова',
      email: `manager-${randomBytes(4).toString('hex')}@test.local`,
      passwordHash: 'not-a-login',
      role: 'manager',
      workingHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, from: '09:00', to: '13:00' })),
      timeZone: 'Europe/Moscow',
    });
    return String(user._id);
  }

  it('should let exactly one of several clients racing for one slot book it and offer the others the next slots', async () => {
    const managerId = await manager();
    const search = {
      settings: { managerIds: [managerId], slotMinutes: 60, minNoticeMinutes: 60 },
      now,
      clientTimeZone: 'Europe/Moscow',
    };
    const [first, second] = await findFreeSlots(db, search);
    expect(first?.startsAt).toEqual(new Date('2026-11-26T08:00:00Z'));

    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        bookSlot(db, { startsAt: first!.startsAt, title: `Консультация, клиент ${n}` }, search),
      ),
    );
    const winners = results.filter((result) => result.ok);
    expect(winners).toHaveLength(1);
    for (const loser of results.filter((result) => !result.ok)) {
      expect(loser.next[0]?.startsAt).toEqual(second?.startsAt);
      expect(loser.next.some((slot) => +slot.startsAt === +first!.startsAt)).toBe(false);
    }
    const Appointment = await appointmentModel(db);
    const stored = await Appointment.find({ managerId }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      startsAt: first!.startsAt,
      endsAt: new Date('2026-11-26T09:00:00Z'),
      status: 'planned',
      reminders: [1440, 60],
      createdBy: { kind: 'automation', id: 'bot' },
    });
    expect((await findFreeSlots(db, search))[0]?.startsAt).toEqual(second?.startsAt);
  });

  it('should give the slot to another free manager before calling it taken', async () => {
    const busy = await manager();
    const free = await manager();
    const search = {
      settings: { managerIds: [busy, free], slotMinutes: 60, minNoticeMinutes: 60 },
      now,
      clientTimeZone: 'Europe/Moscow',
    };
    const startsAt = new Date('2026-11-27T07:00:00Z');
    const results = await Promise.all([1, 2, 3].map((n) => bookSlot(db, { startsAt, title: `Замер ${n}` }, search)));
    const booked = results.flatMap((result) => (result.ok ? [String(result.appointment.managerId)] : []));
    expect(booked.sort()).toEqual([busy, free].sort());
    expect(results.filter((result) => !result.ok)).toHaveLength(1);
  });

  it('should refuse a slot that is not free (outside hours or already past the notice)', async () => {
    const managerId = await manager();
    const search = { settings: { managerIds: [managerId] }, now, clientTimeZone: 'Europe/Moscow' };
    const result = await bookSlot(db, { startsAt: new Date('2026-11-26T18:00:00Z'), title: 'Ночная встреча' }, search);
    expect(result).toMatchObject({ ok: false, reason: 'taken' });
    expect(result.ok ? [] : result.next.length).toBeGreaterThan(0);
  });
});
