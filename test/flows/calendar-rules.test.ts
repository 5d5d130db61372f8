import { describe, expect, it } from 'vitest';
import { isQuiet, isWithinBusinessHours, nextOpening, resolveMoment } from '../../flows/engine/calendar-rules.js';
import { addDuration, canonicalDuration, parseDuration } from '../../flows/engine/duration.js';
import { timedTriggerFireAt } from '../../flows/engine/timed-triggers.js';
import { fromLocal, toLocal } from '../../flows/engine/zoned-time.js';

const NIGHT = { from: '21:00', to: '09:00' };
const at = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();

describe('durations', () => {
  it('should split calendar days from clock time', () => {
    expect(parseDuration('1w2d3h4m5s')).toEqual({ days: 9, ms: (3 * 3600 + 4 * 60 + 5) * 1000 });
    expect(canonicalDuration('90m')).toBe('1h30m');
    expect(canonicalDuration('1w')).toBe('7d');
    expect(canonicalDuration('24h')).not.toBe(canonicalDuration('1d'));
  });

  it('should keep the wall-clock time when adding days across a DST change, but not when adding hours', () => {
    // Berlin moves from CET (+1) to CEST (+2) in the night to 2025-03-30.
    const saturday9 = at('2025-03-29T08:00:00Z');
    expect(iso(addDuration(saturday9, '1d', 'Europe/Berlin'))).toBe('2025-03-30T07:00:00.000Z');
    expect(iso(addDuration(saturday9, '24h', 'Europe/Berlin'))).toBe('2025-03-30T08:00:00.000Z');
    expect(iso(addDuration(at('2025-10-30T08:00:00Z'), '3d', 'Europe/Berlin', -1))).toBe('2025-10-27T08:00:00.000Z');
  });
});

describe('zoned time', () => {
  it('should move a time skipped by spring-forward ahead and take the first of a repeated time', () => {
    expect(iso(fromLocal({ year: 2025, month: 3, day: 30, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin'))).toBe(
      '2025-03-30T01:30:00.000Z',
    );
    expect(iso(fromLocal({ year: 2025, month: 10, day: 26, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin'))).toBe(
      '2025-10-26T00:30:00.000Z',
    );
  });

  it('should read weekdays in the zone, not in UTC', () => {
    // Sunday 23:30 UTC is Monday 02:30 in Moscow.
    expect(toLocal(at('2025-03-02T23:30:00Z'), 'Europe/Moscow')).toMatchObject({ weekday: 1, hour: 2, minute: 30 });
  });
});

describe('quiet hours', () => {
  it('should move a night send in Moscow to 09:00 and leave a day send alone', () => {
    expect(isQuiet(at('2025-03-03T19:30:00Z'), NIGHT, 'Europe/Moscow')).toBe(true);
    expect(iso(nextOpening(at('2025-03-03T19:30:00Z'), NIGHT, 'Europe/Moscow'))).toBe('2025-03-04T06:00:00.000Z');
    expect(iso(nextOpening(at('2025-03-04T00:00:00Z'), NIGHT, 'Europe/Moscow'))).toBe('2025-03-04T06:00:00.000Z');
    expect(iso(nextOpening(at('2025-03-04T09:00:00Z'), NIGHT, 'Europe/Moscow'))).toBe('2025-03-04T09:00:00.000Z');
  });

  it('should judge the same instant by the flow time zone', () => {
    // 15:00 in Moscow, 22:00 in Vladivostok.
    const instant = at('2025-03-03T12:00:00Z');
    expect(isQuiet(instant, NIGHT, 'Europe/Moscow')).toBe(false);
    expect(iso(nextOpening(instant, NIGHT, 'Asia/Vladivostok'))).toBe('2025-03-03T23:00:00.000Z');
  });

  it('should open at local 08:00 on both sides of a DST change', () => {
    const quiet = { from: '22:00', to: '08:00' };
    expect(iso(nextOpening(at('2025-03-29T22:00:00Z'), quiet, 'Europe/Berlin'))).toBe('2025-03-30T06:00:00.000Z');
    expect(iso(nextOpening(at('2025-10-25T21:00:00Z'), quiet, 'Europe/Berlin'))).toBe('2025-10-26T07:00:00.000Z');
    expect(iso(nextOpening(at('2025-03-09T04:30:00Z'), quiet, 'America/New_York'))).toBe('2025-03-09T12:00:00.000Z');
  });

  it('should skip whole quiet days', () => {
    // Saturday 23:00 in Moscow with Sundays quiet: Monday 09:00.
    expect(iso(nextOpening(at('2025-03-08T20:00:00Z'), { ...NIGHT, days: [7] }, 'Europe/Moscow'))).toBe(
      '2025-03-10T06:00:00.000Z',
    );
  });
});

describe('moments', () => {
  const tz = 'Europe/Moscow';
  const monday15 = at('2025-03-03T12:00:00Z');

  it('should put "3 days at 10:00" on the third day and "1 day at 10:00" past an earlier hour', () => {
    expect(iso(resolveMoment({ in: '3d', at: '10:00' }, monday15, tz))).toBe('2025-03-06T07:00:00.000Z');
    expect(iso(resolveMoment({ in: '0s', at: '10:00' }, monday15, tz))).toBe('2025-03-04T07:00:00.000Z');
  });

  it('should count from a field with before and at, and move to an allowed weekday', () => {
    const due = at('2025-04-10T15:00:00Z');
    expect(iso(resolveMoment({ anchor: due, before: '3d', at: '10:00' }, monday15, tz))).toBe(
      '2025-04-07T07:00:00.000Z',
    );
    expect(iso(resolveMoment({ in: '1d', at: '12:00', weekdays: [5] }, monday15, tz))).toBe('2025-03-07T09:00:00.000Z');
  });

  it('should fire date, appointment and no-reply triggers at the right time', () => {
    const dueAt = at('2025-04-10T15:00:00Z');
    expect(
      iso(timedTriggerFireAt({ type: 'date', field: 'installment.dueAt', before: '3d', at: '10:00' }, dueAt, tz)),
    ).toBe('2025-04-07T07:00:00.000Z');
    expect(iso(timedTriggerFireAt({ type: 'appointment.upcoming', before: '2h' }, dueAt, tz))).toBe(
      '2025-04-10T13:00:00.000Z',
    );
    expect(iso(timedTriggerFireAt({ type: 'noReply', waiting: 'operator', after: '15m' }, dueAt, tz))).toBe(
      '2025-04-10T15:15:00.000Z',
    );
  });

  it('should tell business hours in the zone', () => {
    const hours = [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }];
    expect(isWithinBusinessHours(monday15, hours, tz)).toBe(true);
    expect(isWithinBusinessHours(monday15, hours, 'America/New_York')).toBe(false);
    expect(isWithinBusinessHours(at('2025-03-03T15:00:00Z'), hours, 'America/New_York')).toBe(true);
    expect(isWithinBusinessHours(monday15, hours, 'Asia/Vladivostok')).toBe(false);
  });
});
