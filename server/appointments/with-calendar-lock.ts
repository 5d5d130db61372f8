import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mongoose';
import { conflict } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';

interface CalendarLock {
  _id: string;
  holder: string;
  until: Date;
}

/** Long enough for a check and an insert; a holder that died frees the calendar after it. */
const LEASE_MS = 10_000;
const WAIT_MS = 5_000;

const isDuplicateKey = (error: unknown) => (error as { code?: unknown } | null)?.code === 11000;

/**
 * Runs `work` while holding a short lease on one manager's calendar, so that bookings of that
 * calendar check for overlaps and insert one at a time: of two clients racing for the same slot
 * exactly one gets it. Without multi-document transactions (the embedded store is standalone) the
 * lease is a document whose unique `_id` lets one upsert win: the filter matches only a free or
 * expired lease, and a second taker's upsert fails on the duplicate key and waits.
 */
export async function withCalendarLock<T>(db: Connection, managerId: string, work: () => Promise<T>): Promise<T> {
  const locks = db.collection<CalendarLock>('calendar_locks');
  const holder = randomUUID();
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const now = new Date();
    try {
      await locks.findOneAndUpdate(
        { _id: managerId, until: { $lt: now } },
        { $set: { holder, until: new Date(+now + LEASE_MS) } },
        { upsert: true },
      );
      break;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      if (Date.now() > deadline) throw conflict(errorTexts.say('calendarBusy'));
      await sleep(10 + Math.floor(Math.random() * 30));
    }
  }
  try {
    return await work();
  } finally {
    await locks.deleteOne({ _id: managerId, holder });
  }
}
