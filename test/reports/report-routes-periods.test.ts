import { describe, expect, it } from 'vitest';
import { ApiError } from '../../server/api/api-error.js';
import { periodDays, resolvePeriod } from '../../server/reports/report-periods.js';

const MOSCOW = 'Europe/Moscow';

function refusal(input: { from?: string; to?: string }): string {
  try {
    resolvePeriod(input, MOSCOW, new Date('2026-11-27T10:00:00Z'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) return error.message;
    throw error;
  }
  throw new Error('The period was accepted');
}

describe('resolvePeriod', () => {
  it("should default to the last 30 days ending today in the user's time zone, the 30 before as previous", () => {
    // 22:30 UTC on 26 November is already 27 November in Moscow.
    const { period, previous, days } = resolvePeriod({}, MOSCOW, new Date('2026-11-26T22:30:00Z'));
    expect(days).toBe(30);
    expect(period).toEqual({ from: new Date('2026-10-28T21:00:00Z'), to: new Date('2026-11-27T21:00:00Z') });
    expect(previous).toEqual({ from: new Date('2026-09-28T21:00:00Z'), to: new Date('2026-10-28T21:00:00Z') });
    expect(periodDays(period, MOSCOW)).toEqual({ from: '2026-10-29', to: '2026-11-27' });
    expect(periodDays(previous, MOSCOW)).toEqual({ from: '2026-09-29', to: '2026-10-28' });
  });

  it('should take both days inclusive and end the period at the next midnight', () => {
    const { period, previous, days } = resolvePeriod({ from: '2025-03-01', to: '2025-03-10' }, MOSCOW);
    expect(days).toBe(10);
    expect(period).toEqual({ from: new Date('2025-02-28T21:00:00Z'), to: new Date('2025-03-10T21:00:00Z') });
    expect(periodDays(previous, MOSCOW)).toEqual({ from: '2025-02-19', to: '2025-02-28' });
  });

  it('should start a day at local midnight across a clock change', () => {
    // Berlin moves to summer time on 30 March 2025: that day starts at 23:00 UTC, the next at 22:00 UTC.
    const { period } = resolvePeriod({ from: '2025-03-30', to: '2025-03-30' }, 'Europe/Berlin');
    expect(period).toEqual({ from: new Date('2025-03-29T23:00:00Z'), to: new Date('2025-03-30T22:00:00Z') });
  });

  it('should refuse days that do not exist, a start after the end and more than 366 days', () => {
    expect(refusal({ from: '2025-02-30', to: '2025-03-10' })).toMatch(/2025-02-30.*YYYY-MM-DD/);
    expect(refusal({ from: '2025-03-10', to: '2025-03-01' })).toMatch(
      /starts \(2025-03-10\) after it ends \(2025-03-01\)/,
    );
    expect(refusal({ from: '2024-01-01', to: '2025-03-01' })).toMatch(/at most 366 days/);
    expect(resolvePeriod({ from: '2024-01-01', to: '2024-12-31' }, MOSCOW).days).toBe(366);
  });
});
