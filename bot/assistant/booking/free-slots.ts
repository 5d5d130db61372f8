import { DateTime } from 'luxon';
import { z } from 'zod';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/);

/** A manager's calendar as the slot search needs it (from server/users and server/appointments). */
export const calendarManagerSchema = z.object({
  id: z.string().min(1),
  /** ISO weekdays (1 = Monday) with working intervals in the manager's own time zone. */
  workingHours: z.array(z.object({ weekday: z.number().int().min(1).max(7), from: clockTime, to: clockTime })),
  timeZone: z.string().min(1),
});
export type CalendarManager = z.infer<typeof calendarManagerSchema>;

export const busyIntervalSchema = z.object({ managerId: z.string(), startsAt: z.date(), endsAt: z.date() });
export type BusyInterval = z.infer<typeof busyIntervalSchema>;

export const freeSlotsInputSchema = z.object({
  managers: z.array(calendarManagerSchema),
  /** Planned appointments of those managers (cancelled ones free their time and are left out). */
  busy: z.array(busyIntervalSchema),
  slotMinutes: z.number().int().min(5).max(480),
  /** How soon the first slot may start, so nobody is booked for "in five minutes". */
  minNoticeMinutes: z.number().int().min(0).default(120),
  /** Calendar days searched, today included, counted in the client's time zone. */
  days: z.number().int().min(1).max(60),
  now: z.date(),
  clientTimeZone: z.string().min(1),
});
export type FreeSlotsInput = z.input<typeof freeSlotsInputSchema>;

/** A start time at least one manager is free for; `managerIds` in the order they were given. */
export interface FreeSlot {
  startsAt: Date;
  endsAt: Date;
  managerIds: string[];
}

/**
 * Free consultation slots: each manager's working intervals cut into slots of `slotMinutes` from
 * the start of the interval, minus the slots that touch one of their appointments, from
 * `now + minNotice` to the end of the last searched day in the client's zone. A slot free for
 * several managers comes once, with all of them, so booking can fall to the next one.
 */
export function freeSlots(rawInput: FreeSlotsInput): FreeSlot[] {
  const input = freeSlotsInputSchema.parse(rawInput);
  const earliest = +input.now + input.minNoticeMinutes * 60_000;
  const until = DateTime.fromJSDate(input.now, { zone: input.clientTimeZone })
    .startOf('day')
    .plus({ days: input.days })
    .toMillis();
  const byStart = new Map<number, FreeSlot>();

  for (const manager of input.managers) {
    const busy = input.busy.filter((interval) => interval.managerId === manager.id);
    // Their own days: a manager in another zone starts a day earlier or later than the client.
    let day = DateTime.fromJSDate(input.now, { zone: manager.timeZone }).startOf('day').minus({ days: 1 });
    for (; day.toMillis() < until; day = day.plus({ days: 1 })) {
      for (const interval of manager.workingHours.filter((hours) => hours.weekday === day.weekday)) {
        const [fromHour, fromMinute] = interval.from.split(':').map(Number);
        const [toHour, toMinute] = interval.to.split(':').map(Number);
        const end = day.set({ hour: 0, minute: 0 }).plus({ hours: toHour, minutes: toMinute }).toMillis();
        let start = day.set({ hour: fromHour, minute: fromMinute }).toMillis();
        for (; start + input.slotMinutes * 60_000 <= end; start += input.slotMinutes * 60_000) {
          const slotEnd = start + input.slotMinutes * 60_000;
          if (start < earliest || start >= until) continue;
          // Touching ends do not overlap, as in server/appointments/find-overlap.ts.
          if (busy.some((b) => +b.startsAt < slotEnd && +b.endsAt > start)) continue;
          const slot = byStart.get(start) ?? { startsAt: new Date(start), endsAt: new Date(slotEnd), managerIds: [] };
          slot.managerIds.push(manager.id);
          byStart.set(start, slot);
        }
      }
    }
  }
  return [...byStart.values()].sort((a, b) => +a.startsAt - +b.startsAt);
}
