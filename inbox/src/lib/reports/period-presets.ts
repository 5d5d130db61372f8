/** The period picker's presets; anything else is a custom from–to. */
export const PERIOD_PRESETS = ['7d', '30d', '90d', 'month'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

export interface DayRange {
  /** Inclusive days, `YYYY-MM-DD`. */
  from: string;
  to: string;
}

/** A local calendar day as `YYYY-MM-DD` (toISOString would give the UTC day, a day off near midnight). */
export function dayOf(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

function daysBefore(today: Date, days: number): Date {
  return new Date(today.getFullYear(), today.getMonth(), today.getDate() - days);
}

/** The days a preset covers, ending today: "7 days" is today and the six before, as the server counts. */
export function presetRange(preset: PeriodPreset, today: Date): DayRange {
  const to = dayOf(today);
  switch (preset) {
    case '7d':
      return { from: dayOf(daysBefore(today, 6)), to };
    case '30d':
      return { from: dayOf(daysBefore(today, 29)), to };
    case '90d':
      return { from: dayOf(daysBefore(today, 89)), to };
    case 'month':
      return { from: dayOf(new Date(today.getFullYear(), today.getMonth(), 1)), to };
  }
}

/** The server's default period (the last 30 days) when the address names none. */
export const DEFAULT_PRESET: PeriodPreset = '30d';

/** The preset a period is, so the picker shows "30 days" for a link made today; 'custom' otherwise. */
export function presetOf(range: Partial<DayRange>, today: Date): PeriodPreset | 'custom' {
  if (!range.from && !range.to) return DEFAULT_PRESET;
  const found = PERIOD_PRESETS.find((preset) => {
    const candidate = presetRange(preset, today);
    return candidate.from === range.from && candidate.to === range.to;
  });
  return found ?? 'custom';
}

/** The longest period the server computes (366 days, a leap year), counted in whole days. */
export const MAX_PERIOD_DAYS = 366;

/** Why a custom period cannot be asked for, before the server says so: its end before its start, or too long. */
export function periodProblem(range: DayRange): 'order' | 'length' | undefined {
  const from = Date.parse(`${range.from}T00:00:00Z`);
  const to = Date.parse(`${range.to}T00:00:00Z`);
  if (from > to) return 'order';
  if ((to - from) / 86_400_000 + 1 > MAX_PERIOD_DAYS) return 'length';
  return undefined;
}
