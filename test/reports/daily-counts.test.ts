import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesSent } from '../../server/reports/activity-counts.js';
import { countsOver, forgetKeptDays } from '../../server/reports/daily/daily-counts.js';
import { reportDayModel } from '../../server/reports/daily/report-day-model.js';
import { reportEventModel } from '../../server/reports/events/report-event-model.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { msk } from './report-fixtures.js';

/**
 * The daily pre-aggregation: a measure over a period counts each closed day once from the records
 * and keeps it; the day still going is always counted from the records.
 */
describe('countsOver', () => {
  let api: TestApi;
  const operator = new Types.ObjectId();
  const colleague = new Types.ObjectId();
  // Noon of 2025-04-10 in Moscow: the 10th is still going, the days before are over.
  const now = msk('2025-04-10', 12);
  const period = { from: msk('2025-04-01'), to: msk('2025-04-11') };
  let key = 0;
  const sent = (userId: Types.ObjectId, at: Date, channel = 'telegram') => ({
    kind: 'message_sent',
    at,
    conversationId: new Types.ObjectId(),
    contactId: new Types.ObjectId(),
    channelAccountId: new Types.ObjectId(),
    teamIds: [],
    channel,
    userId,
    key: `daily-${key++}`,
  });
  const write = (...events: ReturnType<typeof sent>[]) => reportEventModel(api.db).collection.insertMany(events);
  const count = (timeZone = 'Europe/Moscow', channel?: string) =>
    countsOver(api.db, messagesSent, period, timeZone, { users: [operator, colleague], channel }, now);

  beforeAll(async () => {
    api = await startTestApi();
    await write(
      sent(operator, msk('2025-04-01', 0.5)),
      sent(operator, msk('2025-04-03', 9)),
      sent(operator, msk('2025-04-03', 23.9), 'whatsapp'),
      sent(colleague, msk('2025-04-09', 23.95)),
      sent(operator, msk('2025-04-10', 11)),
      // Outside: the evening before in Moscow, and someone not asked about.
      sent(operator, msk('2025-03-31', 23.9)),
      sent(new Types.ObjectId(), msk('2025-04-05', 10)),
    );
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should count each person’s records of the period, by channel when asked', async () => {
    const counts = await count();
    expect(Object.fromEntries(counts)).toEqual({ [String(operator)]: 4, [String(colleague)]: 1 });
    expect(Object.fromEntries(await count('Europe/Moscow', 'whatsapp'))).toEqual({ [String(operator)]: 1 });
  });

  it('should keep each closed day once counted and count today from the records', async () => {
    // (The app's start-up job may keep the weeks before today's date too: the fixture's April is older.)
    const kept = await reportDayModel(api.db)
      .find({ measure: 'messages-sent', timeZone: 'Europe/Moscow', day: /^2025-/ })
      .lean();
    // The 1st to the 9th are over; the 10th is still going and is not kept.
    expect(kept.map((day) => day.day).sort()).toEqual([
      '2025-04-01',
      '2025-04-02',
      '2025-04-03',
      '2025-04-04',
      '2025-04-05',
      '2025-04-06',
      '2025-04-07',
      '2025-04-08',
      '2025-04-09',
    ]);
    // A record written now into a closed day is not read again; one of today is.
    await write(sent(operator, msk('2025-04-02', 10)), sent(colleague, msk('2025-04-10', 11.5)));
    expect(Object.fromEntries(await count())).toEqual({ [String(operator)]: 4, [String(colleague)]: 2 });
    // A backfill of the past forgets the kept days: counted again, the record is there.
    await forgetKeptDays(api.db, messagesSent.id);
    expect(Object.fromEntries(await count())).toEqual({ [String(operator)]: 5, [String(colleague)]: 2 });
  });

  it('should keep days per time zone: the same period read in UTC starts and ends three hours later', async () => {
    const utc = await countsOver(
      api.db,
      messagesSent,
      { from: new Date('2025-04-01T00:00:00Z'), to: new Date('2025-04-11T00:00:00Z') },
      'UTC',
      { users: [operator, colleague] },
      now,
    );
    // In UTC the 23:54 Moscow message of the evening before the 1st falls on the 31st, still outside;
    // the 00:30 Moscow message of the 1st is 21:30 UTC on the 31st, now outside too.
    expect(Object.fromEntries(utc)).toEqual({ [String(operator)]: 4, [String(colleague)]: 2 });
    expect(
      await reportDayModel(api.db).countDocuments({ measure: 'messages-sent', timeZone: 'UTC', day: /^2025-/ }),
    ).toBe(9);
  });
});
