import { isWithinBusinessHours } from '../../../flows/engine/calendar-rules.js';
import { addLocalDays, atLocalTime, toLocal } from '../../../flows/engine/zoned-time.js';
import type { BusinessHours } from '../../../flows/schema/workspace-schema.js';

/**
 * When a person is at work next: `now` itself within business hours, else the start of the next
 * interval in the coming week; undefined when the hours are empty.
 */
export function nextBusinessOpening(now: Date, hours: BusinessHours, timeZone: string): Date | undefined {
  if (isWithinBusinessHours(now, hours, timeZone)) return now;
  for (let days = 0; days <= 7; days += 1) {
    const day = addLocalDays(now, days, timeZone);
    const weekday = toLocal(day, timeZone).weekday;
    const starts = hours
      .filter((interval) => interval.days.includes(weekday))
      .map((interval) => atLocalTime(day, interval.from, timeZone))
      .filter((start) => start > now)
      .sort((a, b) => a.getTime() - b.getTime());
    if (starts[0]) return starts[0];
  }
  return undefined;
}
