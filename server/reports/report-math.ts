/** The small arithmetic every report shares, so the same figure is rounded the same way everywhere. */

export const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** A share as a percent of a whole (one decimal), null when there is no whole to take it of. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? round((part / whole) * 100, 1) : null;
}

/**
 * The q-quantile of some values by linear interpolation between the closest ranks (the median
 * of 1, 2, 3, 10 is 2.5), null for no values.
 */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

export const SECONDS_PER_DAY = 86_400;

/** Seconds as days with two decimals, null stays null. */
export const toDays = (seconds: number | null): number | null =>
  seconds === null ? null : round(seconds / SECONDS_PER_DAY);
