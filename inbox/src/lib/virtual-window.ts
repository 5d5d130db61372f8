/**
 * The arithmetic of a windowed list (components/VirtualList.svelte): where each row starts, given
 * the heights measured so far and an estimate for the rest, and which rows a viewport shows.
 */

/** `offsets[i]` is where row `i` starts; `offsets[n]` is the height of all rows. */
export function rowOffsets(
  keys: readonly string[],
  heights: ReadonlyMap<string, number>,
  estimate: number,
): Float64Array {
  const offsets = new Float64Array(keys.length + 1);
  for (let i = 0; i < keys.length; i++) offsets[i + 1] = offsets[i]! + (heights.get(keys[i]!) ?? estimate);
  return offsets;
}

/** The row under `y` (clamped to the rows there are), by binary search: a scroll event costs log n. */
export function indexAt(offsets: Float64Array, y: number): number {
  const count = offsets.length - 1;
  if (count <= 0) return 0;
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (offsets[middle]! <= y) low = middle;
    else high = middle - 1;
  }
  return low;
}

export interface VisibleRange {
  /** The first row rendered (`overscan` pixels above the viewport). */
  start: number;
  /** One past the last row rendered. */
  end: number;
  /** The first row at least partly in the viewport. */
  first: number;
}

/** The rows to render for a viewport `height` tall whose top is `top` pixels into the rows. */
export function visibleRange(offsets: Float64Array, top: number, height: number, overscan: number): VisibleRange {
  const count = offsets.length - 1;
  if (count <= 0) return { start: 0, end: 0, first: 0 };
  return {
    start: indexAt(offsets, top - overscan),
    end: Math.min(count, indexAt(offsets, top + height + overscan) + 1),
    first: indexAt(offsets, top),
  };
}
