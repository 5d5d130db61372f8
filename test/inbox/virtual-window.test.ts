import { describe, expect, it } from 'vitest';
import { indexAt, rowOffsets, visibleRange } from '../../inbox/src/lib/virtual-window.js';

const keys = (count: number) => Array.from({ length: count }, (_, i) => `row-${i}`);

describe('virtual window', () => {
  it('should place rows by their measured heights and the estimate for the rest', () => {
    const offsets = rowOffsets(keys(4), new Map([['row-1', 100]]), 40);
    expect([...offsets]).toEqual([0, 40, 140, 180, 220]);
  });

  it('should find the row under a point, clamped to the rows there are', () => {
    const offsets = rowOffsets(keys(4), new Map(), 50);
    expect(indexAt(offsets, -10)).toBe(0);
    expect(indexAt(offsets, 0)).toBe(0);
    expect(indexAt(offsets, 49.9)).toBe(0);
    expect(indexAt(offsets, 50)).toBe(1);
    expect(indexAt(offsets, 10_000)).toBe(3);
    expect(indexAt(rowOffsets([], new Map(), 50), 10)).toBe(0);
  });

  it('should render the viewport’s rows and the overscan around them, a bounded number of 10,000', () => {
    const offsets = rowOffsets(keys(10_000), new Map(), 72);
    const range = visibleRange(offsets, 72 * 5000 + 10, 700, 300);
    expect(range.first).toBe(5000);
    expect(range.start).toBe(5000 - 5);
    expect(range.end).toBe(5000 + Math.ceil((700 + 10 + 300) / 72));
    expect(range.end - range.start).toBeLessThan(30);
    expect(visibleRange(offsets, 0, 700, 300).start).toBe(0);
    expect(visibleRange(offsets, 72 * 10_000, 700, 300).end).toBe(10_000);
    expect(visibleRange(rowOffsets([], new Map(), 72), 0, 700, 300)).toEqual({ start: 0, end: 0, first: 0 });
  });
});
