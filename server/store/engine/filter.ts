import { addFilterFields } from './dependencies.js';
import { valuesAtPath } from './index-keys.js';
import { compareValues, equalityKey, TypeTag, typeTagOf } from './key-encoding.js';
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
  value: unknown;
  holds: (order: number) => boolean;
}

/**
 * `{ $gte: a, $lt: b }` and the like over scalars of one type (a period of dates, an id range):
 * compared in MongoDB's order (compareValues). MongoDB compares only within the bound's type, and over an
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
  return {
    tag,
    bounds: entries.map(([op, bound]) => ({ value: bound, holds: RANGE_TESTS[op]! })),
  };
}

/**
 * One condition of a fast filter as a test of the values at its path; undefined when the
 * condition is not one the keys can answer (mingo takes the whole filter then).
 */
function fastTest(path: string, value: unknown): ((values: unknown[]) => boolean) | undefined {
  if (!isPlainPath(path)) return undefined;
  // `$not`, `$ne` and `$nin` hold where the condition does not, a missing field included.
  const negated = negatedCondition(value);
  if (negated !== undefined) {
    const inner = fastTest(path, negated);
    return inner && ((values) => !inner(values));
  }
  const range = fastRange(value);
  if (range) {
    return (values) => {
      const typed = values.filter((v) => typeTagOf(v) === range.tag);
      return range.bounds.every(({ value: bound, holds }) => typed.some((v) => holds(compareValues(v, bound))));
    };
  }
  const wanted = fastInValues(value) ?? (isFastValue(value) ? [value] : undefined);
  if (!wanted) return undefined;
  const keys = new Set(wanted.map(equalityKey));
  return (values) => values.some((v) => v !== undefined && v !== null && keys.has(equalityKey(v)));
}

/** The condition a `{ $not: {...} }`, `{ $ne: v }` or `{ $nin: [...] }` negates, if it is one. */
function negatedCondition(value: unknown): unknown {
  if (typeTagOf(value) !== TypeTag.Object) return undefined;
  const entries = Object.entries(value as object);
  if (entries.length !== 1) return undefined;
  const [op, argument] = entries[0]!;
  if (op === '$not') return typeTagOf(argument) === TypeTag.Object ? argument : undefined;
  if (op === '$ne') return isFastValue(argument) ? argument : undefined;
  if (op === '$nin') return Array.isArray(argument) ? { $in: argument } : undefined;
  return undefined;
}

interface FastFilter {
  test(doc: Record<string, unknown>): boolean;
  topLevel: Set<string>;
}

/** A filter of fast conditions, also under `$or` and `$and`; undefined when any is not fast. */
function fastFilter(filter: Record<string, unknown>): FastFilter | undefined {
  const tests: ((doc: Record<string, unknown>) => boolean)[] = [];
  const topLevel = new Set<string>();
  for (const [path, value] of Object.entries(filter)) {
    if (path === '$or' || path === '$and') {
      if (!Array.isArray(value) || value.length === 0) return undefined;
      const parts = value.map((part) =>
        typeTagOf(part) === TypeTag.Object ? fastFilter(part as Record<string, unknown>) : undefined,
      );
      if (!parts.every(Boolean)) return undefined;
      for (const part of parts) for (const field of part!.topLevel) topLevel.add(field);
      tests.push(
        path === '$or'
          ? (doc) => parts.some((part) => part!.test(doc))
          : (doc) => parts.every((part) => part!.test(doc)),
      );
      continue;
    }
    const test = fastTest(path, value);
    if (!test) return undefined;
    topLevel.add(path.split('.')[0]!);
    tests.push((doc) => test(valuesAtPath(doc, path).values));
  }
  return { test: (doc) => tests.every((one) => one(doc)), topLevel };
}

/**
 * Compiles a query filter. Plain equalities, `$in`s and ranges on scalar values (the commonest
 * filters: by id, by e-mail, by phone, over a period), also combined by `$or` and `$and`, are
 * matched by comparing order-preserving keys, which is MongoDB's comparison including numbers of
 * different types and arrays holding the value; compiling a mingo query costs more than the rest
 * of such a lookup, and mingo's `$in` hashes its whole list for every document. Anything else
 * goes to mingo.
 */
export function compileFilter(filter: Record<string, unknown>): Filter {
  const fast = Object.keys(filter).length > 0 ? fastFilter(filter) : undefined;
  if (!fast) return mingoFilter(filter);
  return {
    fields: [...fast.topLevel].map((name) => Buffer.from(name, 'utf8')),
    reads: fast.topLevel,
    test: fast.test,
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
