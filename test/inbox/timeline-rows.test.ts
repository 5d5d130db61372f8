import { describe, expect, it } from 'vitest';
import type { TimelineItem } from '../../inbox/src/lib/inbox-views.js';
import { dayOfRow, timelineRows } from '../../inbox/src/lib/timeline-rows.js';

function note(id: number, at: string): TimelineItem {
  return {
    kind: 'note',
    id: id.toString(16).padStart(24, '0'),
    at,
    note: { id: String(id), kind: 'note', text: 'Перезвонить', authorName: 'Анна', createdAt: at },
  };
}

describe('timeline rows', () => {
  // Noon in every time zone a test machine may have keeps each item on its calendar day.
  const items = [note(1, '2026-11-24T12:00:00'), note(2, '2026-11-24T12:30:00'), note(3, '2026-11-26T12:00:00')];

  it('should open each day with its separator, entries after it in order', () => {
    expect(timelineRows(items).map((row) => (row.kind === 'day' ? row.day : row.item.id.slice(-1)))).toEqual([
      '2026-11-24',
      '1',
      '2',
      '2026-11-26',
      '3',
    ]);
    // Earlier events of a day make its separator a new row, keyed by the entry it now opens.
    const [separator] = timelineRows(items);
    const [earlier] = timelineRows([note(0, '2026-11-24T11:00:00'), ...items]);
    expect(earlier?.id).not.toBe(separator?.id);
    expect(timelineRows([])).toEqual([]);
  });

  it('should name the day a row belongs to, for the floating separator', () => {
    const rows = timelineRows(items);
    expect(dayOfRow(rows, 0)).toBe('2026-11-24');
    expect(dayOfRow(rows, 2)).toBe('2026-11-24');
    expect(dayOfRow(rows, 4)).toBe('2026-11-26');
    expect(dayOfRow(rows, 99)).toBe('2026-11-26');
    expect(dayOfRow([], 0)).toBeUndefined();
  });
});
