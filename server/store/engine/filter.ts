import { addFilterFields } from './dependencies.js';
import { valuesAtPath } from './index-keys.js';
import { encodeKey, TypeTag, typeTagOf } from './key-encoding.js';
import { compileQuery } from './mingo-options.js';
import { validateFilter } from './query-validation.js';

export interface Filter {
  test(doc: Record<string, unknown>): boolean;
  /** Top-level fields the test reads (UTF-8 names), when it reads only those and decoding them first pays. */
  fields?: Uint8Array[];
  /** Top-level fields the test reads, when known (also for tests that take the whole document). */
  reads?: ReadonlySet<string>;
  /** The test uses `$type`, which needs each document's stored bytes (see rememberStoredBytes). */
  readsStoredTypes?: boolean;
}

function usesTypeOperator(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(usesTypeOperator);
  if (typeTagOf(value) !== TypeTag.Object) return false;
  return Object.entries(value as object).some(([key, inner]) => key === '$type' || usesTypeOperator(inner));
}

const FAST_TAGS = new Set<number>([TypeTag.Number, TypeTag.String, TypeTag.ObjectId, TypeTag.Boolean, TypeTag.Date]);

function isFastValue(value: unknown): boolean {
  return FAST_TAGS.has(typeTagOf(value)) && !Number.isNaN(value);
}

function isPlainPath(path: string): boolean {
  return !path.startsWith('$') && !path.split('.').some((part) => /^\d+$/.test(part) || part === '');
}

/** `{ $in: [...] }` of scalars only: matched by a set of keys, not by mingo comparing each value in turn. */
function fastInValues(value: unknown): unknown[] | undefined {
  if (typeTagOf(value) !== TypeTag.Object) return undefined;
  const entries = Object.entries(value as object);
  if (entries.length !== 1 || entries[0]![0] !== '$in') return undefined;
  const values = entries[0]![1] as unknown;
  return Array.isArray(values) && values.length > 0 && values.every(isFastValue) ? values : undefined;
}

const RANGE_TESTS: Record<string, (order: number) => boolean> = {
  $gt: (order) => order > 0,
  $gte: (order) => order >= 0,
  $lt: (order) => order < 0,
  $lte: (order) => order <= 0,
};

interface RangeBound {
  key: Buffer;
  holds: (order: number) => boolean;
}

/**
 * `{ $gte: a, $lt: b }` and the like over scalars of one type (a period of dates, an id range):
 * compared as order-preserving keys. MongoDB compares only within the bound's type, and over an
 * array each bound may be met by a different element.
 */
function fastRange(value: unknown): { tag: number; bounds: RangeBound[] } | undefined {
  if (typeTagOf(value) !== TypeTag.Object) return undefined;
  const entries = Object.entries(value as object);
  if (entries.length === 0 || !entries.every(([op, bound]) => op in RANGE_TESTS && isFastValue(bound))) {
    return undefined;
  }
  const tag = typeTagOf(entries[0]![1]);
  if (!entries.every(([, bound]) => typeTagOf(bound) === tag)) return undefined;
  return { tag, bounds: entries.map(([op, bound]) => ({ key: encodeKey(bound), holds: RANGE_TESTS[op]! })) };
}

/**
 * One condition of a fast filter as a test of the values at its path; undefined when the
 * condition is not one the keys can answer (mingo takes the whole filter then).
 */
function fastTest(path: string, value: unknown): ((values: unknown[]) => boolean) | undefined {
  if (!isPlainPath(path)) return undefined;
  const range = fastRange(value);
  if (range) {
    return (values) => {
      const keys = values.filter((v) => typeTagOf(v) === range.tag).map((v) => encodeKey(v));
      return range.bounds.every(({ key, holds }) => keys.some((candidate) => holds(Buffer.compare(candidate, key))));
    };
  }
  const wanted = fastInValues(value) ?? (isFastValue(value) ? [value] : undefined);
  if (!wanted) return undefined;
  // Keys as latin1 strings: one byte per character, so equal strings are equal keys.
  const keys = new Set(wanted.map((one) => encodeKey(one).toString('latin1')));
  return (values) => values.some((v) => v !== undefined && v !== null && keys.has(encodeKey(v).toString('latin1')));
}

/**
 * Compiles a query filter. Plain equalities, `$in`s and ranges on scalar values (the commonest
 * filters: by id, by e-mail, by phone, over a period) are matched by comparing order-preserving
 * keys, which is MongoDB's comparison including numbers of different types and arrays holding
 * the value; compiling a mingo query costs more than the rest of such a lookup, and mingo's `$in`
 * hashes its whole list for every document. Anything else goes to mingo.
 */
export function compileFilter(filter: Record<string, unknown>): Filter {
  const entries = Object.entries(filter);
  const wanted: { path: string; test: (values: unknown[]) => boolean }[] = [];
  for (const [path, value] of entries) {
    const test = fastTest(path, value);
    if (!test) return mingoFilter(filter);
    wanted.push({ path, test });
  }
  if (wanted.length === 0) return mingoFilter(filter);
  const topLevel = new Set(entries.map(([path]) => path.split('.')[0]!));
  return {
    fields: [...topLevel].map((name) => Buffer.from(name, 'utf8')),
    reads: topLevel,
    test(doc) {
      return wanted.every(({ path, test }) => test(valuesAtPath(doc, path).values));
    },
  };
}

function mingoFilter(filter: Record<string, unknown>): Filter {
  validateFilter(filter);
  const query = compileQuery(filter);
  const reads = new Set<string>();
  return {
    test: (doc) => query.test(doc),
    ...(addFilterFields(filter, reads) ? { reads } : {}),
    ...(usesTypeOperator(filter) ? { readsStoredTypes: true } : {}),
  };
}
