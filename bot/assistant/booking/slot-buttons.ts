import { DateTime } from 'luxon';
import type { FreeSlot } from './free-slots.js';

export interface SlotButton {
  /** `slot:<ISO instant>`: short enough for Telegram's 64-byte callback data. */
  id: string;
  /** The start in the client's zone, e.g. "10:00". */
  text: string;
}

export interface SlotDay {
  /** YYYY-MM-DD in the client's zone. */
  date: string;
  /** "пт, 27 ноября" / "Fri, 27 November". */
  label: string;
  buttons: SlotButton[];
}

export const SLOT_BUTTON_PREFIX = 'slot:';

/** The slot a pressed button names, or undefined for any other button. */
export function slotFromButton(id: string): Date | undefined {
  if (!id.startsWith(SLOT_BUTTON_PREFIX)) return undefined;
  const at = new Date(id.slice(SLOT_BUTTON_PREFIX.length));
  return Number.isNaN(+at) ? undefined : at;
}

/** Up to `count` items spread over the list: morning, midday and evening rather than 9, 10, 11. */
function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  if (count === 1) return [items[0]!];
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]!);
}

/**
 * The slots offered: the first `maxDays` days that have any (dates in the client's zone), `perDay`
 * slots each, spread over the day.
 */
export function offeredSlots(
  slots: readonly FreeSlot[],
  options: { timeZone: string; maxDays?: number; perDay?: number },
): { date: string; slots: FreeSlot[] }[] {
  const { timeZone, maxDays = 3, perDay = 3 } = options;
  const days = new Map<string, FreeSlot[]>();
  for (const slot of slots) {
    const date = DateTime.fromJSDate(slot.startsAt, { zone: timeZone }).toISODate()!;
    days.set(date, [...(days.get(date) ?? []), slot]);
  }
  return [...days.entries()].slice(0, maxDays).map(([date, daySlots]) => ({ date, slots: spread(daySlots, perDay) }));
}

/** The offered slots as buttons per day, labelled in the client's zone and language. */
export function slotButtons(
  slots: readonly FreeSlot[],
  options: { timeZone: string; language: 'ru' | 'en'; maxDays?: number; perDay?: number },
): SlotDay[] {
  const { timeZone, language } = options;
  return offeredSlots(slots, options).map(({ date, slots: daySlots }) => ({
    date,
    label: DateTime.fromISO(date, { zone: timeZone }).setLocale(language).toFormat('ccc, d MMMM'),
    buttons: daySlots.map((slot) => ({
      id: `${SLOT_BUTTON_PREFIX}${slot.startsAt.toISOString()}`,
      text: DateTime.fromJSDate(slot.startsAt, { zone: timeZone }).toFormat('HH:mm'),
    })),
  }));
}
