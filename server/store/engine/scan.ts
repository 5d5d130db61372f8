import type { Collection, StoredDoc } from './collection.js';
import type { Interval } from './bounds.js';
import { prefixSuccessor } from './key-encoding.js';
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
  yielded?: Set<number>,
): Generator<StoredDoc> {
  if (plan.type === 'collscan') {
    for (const row of scanNatural(collection, plan.direction, onRow)) {
      if (yielded?.has(row.rid)) continue;
      yielded?.add(row.rid);
      yield row;
    }
    return;
  }
  if (plan.type === 'or') {
    // A document matching several branches is found by each of their scans but read and yielded once.
    const once = yielded ?? new Set<number>();
    for (const branch of plan.branches) yield* scanPlan(collection, branch, onRow, once);
    return;
  }
  // A multikey index holds a document once per array element: its scan reads each document once.
  const seen = yielded ?? (plan.index.multikey ? new Set<number>() : undefined);
  const intervals = plan.direction === 1 ? plan.intervals : [...plan.intervals].reverse();
  if (intervals.length > FIRST_PAGE && intervals.every(isPoint)) {
    yield* pointsInPages(collection, plan.index, intervals, plan.direction, onRow, seen);
    return;
  }
  for (const interval of intervals) {
    yield* scanInterval(collection, plan.index, interval, plan.direction, onRow, seen);
  }
}

/** An interval of one key and its extensions (an equality on the index's leading fields). */
function isPoint(interval: Interval): boolean {
  const successor = prefixSuccessor(interval.lo);
  return successor !== undefined && successor.equals(interval.hi);
}

/**
 * The statement reading a page of intervals (a JSON array of [lo, hi] hex pairs). CROSS JOIN keeps
 * the intervals the outer loop: SQLite otherwise chose to scan the whole index once per page.
 */
export function pointLookupSql(
  docTable: string,
  index: Pick<IndexHandle, 'isIdIndex' | 'table'>,
  direction: 1 | -1,
  keysOnly: boolean,
): string {
  const order = direction === 1 ? 'ASC' : 'DESC';
  const bounds = (column: string) =>
    `${column} >= unhex(json_extract(j.value, '$[0]')) AND ${column} < unhex(json_extract(j.value, '$[1]'))`;
  if (index.isIdIndex) {
    return `SELECT c.rid AS rid, c.id AS k, c.doc AS bytes FROM json_each(?) j
      CROSS JOIN ${docTable} c ON ${bounds('c.id')} ORDER BY c.id ${order}`;
  }
  const rows = `FROM json_each(?) j CROSS JOIN ${index.table} i ON ${bounds('i.k')}`;
  return keysOnly
    ? `SELECT i.rid AS rid, i.k AS k ${rows} ORDER BY i.k ${order}, i.rid ${order}`
    : `SELECT i.rid AS rid, i.k AS k, c.doc AS bytes ${rows}
      CROSS JOIN ${docTable} c ON c.rid = i.rid ORDER BY i.k ${order}, i.rid ${order}`;
}

/**
 * Many equality intervals (an `$in` of ids, of contacts...) read a page of intervals per
 * statement, each joined to the index by its range, instead of one statement per value:
 * reports read the contacts or the events of thousands of conversations at once.
 */
function* pointsInPages(
  collection: Collection,
  index: IndexHandle,
  intervals: readonly Interval[],
  direction: 1 | -1,
  onRow: (n: number) => void,
  seen: Set<number> | undefined,
): Generator<StoredDoc> {
  const keysOnly = seen !== undefined && !index.isIdIndex;
  const statement = collection.stmt(`points:${index.name}:${direction}${keysOnly ? ':keys' : ''}`, () =>
    pointLookupSql(collection.docTable, index, direction, keysOnly),
  );
  for (let start = 0; start < intervals.length; start += MAX_PAGE) {
    const page = intervals
      .slice(start, start + MAX_PAGE)
      .map((interval) => [interval.lo.toString('hex'), interval.hi.toString('hex')]);
    const rows = statement.all(JSON.stringify(page)) as KeyedRow[];
    onRow(rows.length);
    yield* pageDocuments(collection, rows, seen, keysOnly);
  }
}

/**
 * A page of index rows as documents, each once when `seen` is kept; a page of keys only has the
 * documents of its unseen rows fetched in one statement (a document under many keys of a scan, a
 * multikey index or an `$or`, is fetched once).
 */
function* pageDocuments(
  collection: Collection,
  rows: KeyedRow[],
  seen: Set<number> | undefined,
  keysOnly: boolean,
): Generator<StoredDoc> {
  const fresh = seen ? rows.filter((row) => !seen.has(row.rid) && seen.add(row.rid)) : rows;
  if (!keysOnly || fresh.length === 0) {
    yield* fresh;
    return;
  }
  const statement = collection.stmt(
    'docsByRids',
    () => `SELECT rid, doc AS bytes FROM ${collection.docTable} WHERE rid IN (SELECT value FROM json_each(?))`,
  );
  const found = statement.all(JSON.stringify(fresh.map((row) => row.rid))) as StoredDoc[];
  const byRid = new Map(found.map((row) => [row.rid, row.bytes]));
  for (const row of fresh) {
    const bytes = byRid.get(row.rid);
    if (bytes) yield { rid: row.rid, bytes };
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
  keysOnly = false,
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
  if (keysOnly) {
    return `SELECT i.rid AS rid, i.k AS k FROM ${index.table} i
    WHERE ${from} AND ${to} ORDER BY i.k ${order}, i.rid ${order} LIMIT ${size}`;
  }
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
  seen?: Set<number>,
): Generator<StoredDoc> {
  const keysOnly = seen !== undefined && !index.isIdIndex;
  const start = direction === 1 ? interval.lo : interval.hi;
  const end = direction === 1 ? interval.hi : interval.lo;
  let after: { key: Buffer; rid: number } | undefined;
  let size = FIRST_PAGE;
  for (;;) {
    const first = after === undefined;
    const statement = collection.stmt(
      `scan:${index.name}:${direction}:${size}:${first ? 'first' : 'next'}${keysOnly ? ':keys' : ''}`,
      () => intervalSql(collection, index, direction, size, first, keysOnly),
    );
    const from = !after ? [start] : index.isIdIndex ? [after.key] : [after.key, after.rid];
    const rows = statement.all(...from, end) as KeyedRow[];
    onRow(rows.length);
    yield* pageDocuments(collection, rows, seen, keysOnly);
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
