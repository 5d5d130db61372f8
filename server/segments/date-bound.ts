const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The moment `days` whole days before `now`: "within 7 days" is at or after it. */
export function daysAgo(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/**
 * Where 'before' / 'after' a date cuts, as a half-open bound: before is `< bound`, after is
 * `>= bound`. A plain date is a whole day in UTC, so "after 2026-03-01" starts on 2 March and
 * "before 2026-03-01" ends on 28 February; a moment cuts right after itself.
 */
export function dateBound(value: string, op: 'before' | 'after'): Date {
  const at = new Date(value);
  if (op === 'before') return at;
  return new Date(at.getTime() + (DATE_ONLY.test(value) ? DAY_MS : 1));
}
