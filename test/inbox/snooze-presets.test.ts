import { describe, expect, it } from 'vitest';
import { customSnoozeUntil, snoozeUntil, toDateTimeLocal } from '../../inbox/src/lib/conversation/snooze-presets.js';

// Local times, so the expectations hold in any time zone the suite runs in.
const thursday = new Date(2026, 10, 26, 14, 30);
const monday = new Date(2026, 10, 30, 8, 0);
const sunday = new Date(2026, 10, 29, 23, 50);

describe('snooze presets', () => {
  it('should put a conversation away for an hour', () => {
    expect(snoozeUntil('hour', thursday)).toEqual(new Date(2026, 10, 26, 15, 30));
  });

  it('should bring it back tomorrow at 9:00, also across a month’s end', () => {
    expect(snoozeUntil('tomorrow', thursday)).toEqual(new Date(2026, 10, 27, 9, 0));
    expect(snoozeUntil('tomorrow', new Date(2026, 10, 30, 22, 0))).toEqual(new Date(2026, 11, 1, 9, 0));
  });

  it('should bring it back next Monday at 9:00, a week on when today is Monday', () => {
    expect(snoozeUntil('nextWeek', thursday)).toEqual(new Date(2026, 10, 30, 9, 0));
    expect(snoozeUntil('nextWeek', sunday)).toEqual(new Date(2026, 10, 30, 9, 0));
    expect(snoozeUntil('nextWeek', monday)).toEqual(new Date(2026, 11, 7, 9, 0));
  });

  it('should take a custom time from the picker only when it is in the future', () => {
    expect(customSnoozeUntil('2026-11-27T18:15', thursday)).toEqual(new Date(2026, 10, 27, 18, 15));
    expect(customSnoozeUntil('2026-11-26T14:30', thursday)).toBeUndefined();
    expect(customSnoozeUntil('2026-11-25T10:00', thursday)).toBeUndefined();
    expect(customSnoozeUntil('', thursday)).toBeUndefined();
    expect(customSnoozeUntil('завтра', thursday)).toBeUndefined();
  });

  it('should write a time as the picker’s value and read it back', () => {
    expect(toDateTimeLocal(new Date(2026, 0, 5, 9, 7))).toBe('2026-01-05T09:07');
    expect(customSnoozeUntil(toDateTimeLocal(snoozeUntil('tomorrow', thursday)), thursday)).toEqual(
      snoozeUntil('tomorrow', thursday),
    );
  });
});
