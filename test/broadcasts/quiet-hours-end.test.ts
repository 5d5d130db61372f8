import { describe, expect, it } from 'vitest';
import { quietHoursEnd } from '../../server/broadcasts/quiet-hours-end.js';

describe('quietHoursEnd', () => {
  const night = { from: '21:00', to: '09:00' };

  it('should end quiet hours that span midnight at the next morning, in the broadcast’s time zone', () => {
    // 22:30 in Moscow (UTC+3) is 19:30 UTC; the quiet hours end at 09:00 Moscow, 06:00 UTC.
    expect(quietHoursEnd(new Date('2026-11-27T19:30:00Z'), night, 'Europe/Moscow')?.toISOString()).toBe(
      '2026-11-28T06:00:00.000Z',
    );
    // 03:00 Moscow: the same night, ending this morning.
    expect(quietHoursEnd(new Date('2026-11-27T00:00:00Z'), night, 'Europe/Moscow')?.toISOString()).toBe(
      '2026-11-27T06:00:00.000Z',
    );
  });

  it('should let a message go outside quiet hours', () => {
    expect(quietHoursEnd(new Date('2026-11-27T09:00:00Z'), night, 'Europe/Moscow')).toBeUndefined();
    // 09:00 sharp is already allowed; 21:00 sharp is already quiet.
    expect(quietHoursEnd(new Date('2026-11-27T06:00:00Z'), night, 'Europe/Moscow')).toBeUndefined();
    expect(quietHoursEnd(new Date('2026-11-27T18:00:00Z'), night, 'Europe/Moscow')).toBeDefined();
  });

  it('should read quiet hours within one day as they are written', () => {
    const lunch = { from: '13:00', to: '14:00' };
    expect(quietHoursEnd(new Date('2026-11-27T13:30:00Z'), lunch, 'UTC')?.toISOString()).toBe(
      '2026-11-27T14:00:00.000Z',
    );
    expect(quietHoursEnd(new Date('2026-11-27T14:30:00Z'), lunch, 'UTC')).toBeUndefined();
  });
});
