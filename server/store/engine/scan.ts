import type { Collection, StoredDoc } from './collection.js';
import type { Interval } from './bounds.js';
import type { IndexHandle } from './index-handle.js';
import type { Plan } from './planner.js';

const FIRST_PAGE = 16;
const MAX_PAGE = 1024;

interface KeyedRow {
  rid: number;
  bytes: Buffer;
  k: Buffer;
}

/**
 * Reads the documents a plan selects, a page at a time with keyset pagination, so an open
 * cursor holds no SQLite statement between batches and memory stays bounded. Pages grow from
 * small (a findOne reads few rows) to large (a full scan amortises statement overhead).
 */
export function* scanPlan(
  collection: Collection,
  plan: Plan,
  onRow: (keysExamined: number) => void,
): Generator<StoredDoc> {
  if (plan.type === 'collscan') {
    yield* scanNatural(collection, plan.direction, onRow);
    return;
  }
  if (plan.type === 'or') {
    // A document matching several branches is read by each of their scans but yielded once.
    const yielded = new Set<number>();
    for (const branch of plan.branches) {
      for (const row of scanPlan(collection, branch, onRow)) {
        if (yielded.has(row.rid)) continue;
        yielded.add(row.rid);
        yield row;
      }
    }
    return;
  }
  const seen = plan.index.multikey ? new Set<number>() : undefined;
  const intervals = plan.direction === 1 ? plan.intervals : [...plan.intervals].reverse();
  for (const interval of intervals) {
    for (const row of scanInterval(collection, plan.index, interval, plan.direction, onRow)) {
      if (seen) {
        if (seen.has(row.rid)) continue;
        seen.add(row.rid);
      }
      yield row;
    }
  }
}

function* scanNatural(collection: Collection, direction: 1 | -1, onRow: (n: number) => void): Generator<StoredDoc> {
  let after = direction === 1 ? 0 : Number.MAX_SAFE_INTEGER;
  let size = FIRST_PAGE;
  for (;;) {
    const page = collection.pageByRid(after, size, direction === -1);
    onRow(0);
    for (const row of page) yield row;
    if (page.length < size) return;
    after = page[page.length - 1]!.rid;
    size = Math.min(size * 4, MAX_PAGE);
  }
}

/**
 * The page size is part of the SQL: a bound LIMIT parameter makes SQLite's point reads ~3x slower.
 * A first page starts at the interval's bound, a later one just after the last row read, and that
 * is the only bound on that side: given both, SQLite seeks by the interval's and steps over every
 * row read before, so each page cost more than the one before (quadratic over a large range).
 */
function intervalSql(
  collection: Collection,
  index: IndexHandle,
  direction: 1 | -1,
  size: number,
  first: boolean,
): string {
  const order = direction === 1 ? 'ASC' : 'DESC';
  if (index.isIdIndex) {
    const from = direction === -1 ? 'id < ?' : first ? 'id >= ?' : 'id > ?';
    const to = direction === 1 ? 'id < ?' : 'id >= ?';
    return `SELECT rid, id AS k, doc AS bytes FROM ${collection.docTable}
      WHERE ${from} AND ${to} ORDER BY id ${order} LIMIT ${size}`;
  }
  const ascending = first ? 'i.k >= ?' : '(i.k, i.rid) > (?, ?)';
  const descending = first ? 'i.k < ?' : '(i.k, i.rid) < (?, ?)';
  const from = direction === 1 ? ascending : descending;
  const to = direction === 1 ? 'i.k < ?' : 'i.k >= ?';
  return `SELECT i.rid AS rid, i.k AS k, c.doc AS bytes FROM ${index.table} i
    JOIN ${collection.docTable} c ON c.rid = i.rid
    WHERE ${from} AND ${to} ORDER BY i.k ${order}, i.rid ${order} LIMIT ${size}`;
}

function* scanInterval(
  collection: Collection,
  index: IndexHandle,
  interval: Interval,
  direction: 1 | -1,
  onRow: (n: number) => void,
): Generator<StoredDoc> {
  const start = direction === 1 ? interval.lo : interval.hi;
  const end = direction === 1 ? interval.hi : interval.lo;
  let after: { key: Buffer; rid: number } | undefined;
  let size = FIRST_PAGE;
  for (;;) {
    const first = after === undefined;
    const statement = collection.stmt(`scan:${index.name}:${direction}:${size}:${first ? 'first' : 'next'}`, () =>
      intervalSql(collection, index, direction, size, first),
    );
    const from = !after ? [start] : index.isIdIndex ? [after.key] : [after.key, after.rid];
    const rows = statement.all(...from, end) as KeyedRow[];
    onRow(rows.length);
    for (const row of rows) yield row;
    if (rows.length < size) return;
    const last = rows[rows.length - 1]!;
    after = { key: last.k, rid: last.rid };
    size = Math.min(size * 4, MAX_PAGE);
  }
}

/**
 * How many index entries a plan's intervals hold, counted up to `cap` (the count stops there):
 * the planner's estimate of what each candidate index would read, from the index alone.
 */
export function countIndexEntries(
  collection: Collection,
  index: IndexHandle,
  intervals: readonly Interval[],
  cap: number,
): number {
  const statement = collection.stmt(`count:${index.name}`, () =>
    index.isIdIndex
      ? `SELECT count(*) AS n FROM (SELECT 1 FROM ${collection.docTable} WHERE id >= ? AND id < ? LIMIT ?)`
      : `SELECT count(*) AS n FROM (SELECT 1 FROM ${index.table} WHERE k >= ? AND k < ? LIMIT ?)`,
  );
  let total = 0;
  for (const interval of intervals) {
    total += (statement.get(interval.lo, interval.hi, cap - total) as { n: number }).n;
    if (total >= cap) return cap;
  }
  return total;
}
