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

function isFastEquality(path: string, value: unknown): boolean {
  if (path.startsWith('$') || path.split('.').some((part) => /^\d+$/.test(part) || part === '')) return false;
  return FAST_TAGS.has(typeTagOf(value)) && !Number.isNaN(value);
}

/**
 * Compiles a query filter. Plain equalities on scalar values (the commonest filter: by id, by
 * e-mail, by phone) are matched by comparing order-preserving keys, which is MongoDB's equality
 * including numbers of different types and arrays holding the value; compiling a mingo query
 * costs more than the rest of such a lookup. Anything else goes to mingo.
 */
export function compileFilter(filter: Record<string, unknown>): Filter {
  const entries = Object.entries(filter);
  if (entries.length === 0 || !entries.every(([path, value]) => isFastEquality(path, value))) {
    validateFilter(filter);
    const query = compileQuery(filter);
    return usesTypeOperator(filter) ? { test: (doc) => query.test(doc), readsStoredTypes: true } : query;
  }
  const wanted = entries.map(([path, value]) => ({ path, key: encodeKey(value) }));
  const topLevel = new Set(entries.map(([path]) => path.split('.')[0]!));
  return {
    fields: [...topLevel].map((name) => Buffer.from(name, 'utf8')),
    test(doc) {
      return wanted.every(({ path, key }) => {
        const { values } = valuesAtPath(doc, path);
        return values.some((v) => v !== undefined && v !== null && encodeKey(v).equals(key));
      });
    },
  };
}
