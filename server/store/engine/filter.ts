import { valuesAtPath } from './index-keys.js';
import { encodeKey, TypeTag, typeTagOf } from './key-encoding.js';
import { compileQuery } from './mingo-options.js';
import { validateFilter } from './query-validation.js';

export interface Filter {
  test(doc: Record<string, unknown>): boolean;
  /** Top-level fields the test reads (UTF-8 names), when it reads only those. */
  fields?: Uint8Array[];
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

function isFastCondition(path: string, value: unknown): boolean {
  return isPlainPath(path) && (isFastValue(value) || fastInValues(value) !== undefined);
}

/**
 * Compiles a query filter. Plain equalities on scalar values (the commonest filter: by id, by
 * e-mail, by phone) are matched by comparing order-preserving keys, which is MongoDB's equality
 * including numbers of different types and arrays holding the value; compiling a mingo query
 * costs more than the rest of such a lookup. Anything else goes to mingo.
 */
export function compileFilter(filter: Record<string, unknown>): Filter {
  const entries = Object.entries(filter);
  if (entries.length === 0 || !entries.every(([path, value]) => isFastCondition(path, value))) {
    validateFilter(filter);
    const query = compileQuery(filter);
    return usesTypeOperator(filter) ? { test: (doc) => query.test(doc), readsStoredTypes: true } : query;
  }
  // Keys as latin1 strings: one byte per character, so equal strings are equal keys.
  const wanted = entries.map(([path, value]) => ({
    path,
    keys: new Set((fastInValues(value) ?? [value]).map((one) => encodeKey(one).toString('latin1'))),
  }));
  const topLevel = new Set(entries.map(([path]) => path.split('.')[0]!));
  return {
    fields: [...topLevel].map((name) => Buffer.from(name, 'utf8')),
    test(doc) {
      return wanted.every(({ path, keys }) => {
        const { values } = valuesAtPath(doc, path);
        return values.some((v) => v !== undefined && v !== null && keys.has(encodeKey(v).toString('latin1')));
      });
    },
  };
}
