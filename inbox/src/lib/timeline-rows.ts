import type { TimelineItem } from './inbox-views.js';
import { groupByDay } from './timeline.js';

/** One row of the windowed timeline: a day's separator or one entry of that day. */
export type TimelineRow = { kind: 'day'; id: string; day: string } | { kind: 'entry'; id: string; item: TimelineItem };

/**
 * The timeline as the flat rows a windowed list renders, each day opened by its separator. A
 * separator's key names the entry it stands before: when earlier events of that day arrive, it is
 * a new row above them, and the list does not take the old key's place for the new one's.
 */
export function timelineRows(items: readonly TimelineItem[]): TimelineRow[] {
  return groupByDay(items).flatMap((group) => [
    { kind: 'day' as const, id: `day-${group.items[0]?.id}`, day: group.day },
    ...group.items.map((item) => ({ kind: 'entry' as const, id: item.id, item })),
  ]);
}

/** The day the row at `index` belongs to: what the floating separator shows while its own has scrolled away. */
export function dayOfRow(rows: readonly TimelineRow[], index: number): string | undefined {
  for (let i = Math.min(index, rows.length - 1); i >= 0; i--) {
    const row = rows[i];
    if (row?.kind === 'day') return row.day;
  }
  return undefined;
}
