/** The snooze menu's ready choices, in the operator's own time zone. */
export type SnoozePreset = 'hour' | 'tomorrow' | 'nextWeek';

export const SNOOZE_PRESETS: readonly SnoozePreset[] = ['hour', 'tomorrow', 'nextWeek'];

/** Mornings start at 9:00: a conversation put away "until tomorrow" is back when the workday begins. */
const MORNING_HOUR = 9;

function morningAfter(now: Date, days: number): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, MORNING_HOUR, 0, 0, 0);
}

/** When a preset ends: in an hour, tomorrow at 9:00, or next Monday at 9:00 (a Monday counts a week on). */
export function snoozeUntil(preset: SnoozePreset, now: Date): Date {
  switch (preset) {
    case 'hour':
      return new Date(now.getTime() + 3600_000);
    case 'tomorrow':
      return morningAfter(now, 1);
    case 'nextWeek':
      return morningAfter(now, (8 - now.getDay()) % 7 || 7);
  }
}

const pad = (value: number) => String(value).padStart(2, '0');

/** A time as an `<input type="datetime-local">` value (local time, minutes). */
export function toDateTimeLocal(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A custom time typed into the picker, or undefined when it is not a time in the future. */
export function customSnoozeUntil(value: string, now: Date): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hours, minutes] = match.map(Number);
  const date = new Date(year ?? 0, (month ?? 1) - 1, day, hours, minutes);
  return date.getTime() > now.getTime() ? date : undefined;
}
