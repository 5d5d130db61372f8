import type { Document } from 'bson';
import type { Query } from 'mingo';
import { CommandError, ErrorCodes } from '../errors.js';
import { documentKeys, type IndexField, type IndexKey } from './index-keys.js';
import { encodeKey } from './key-encoding.js';
import { compileQuery } from './mingo-options.js';
import { termScores, type TextIndexOptions } from './text-index.js';

/** An index as `listIndexes` shows it and as it is kept in the catalog. */
export interface IndexSpec extends Document {
  v: number;
  key: Record<string, number | string>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
}

export const ID_INDEX_NAME = '_id_';

/** Options that make two specs of the same key pattern different indexes. */
const IDENTITY_OPTIONS = [
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'collation',
  'weights',
  'default_language',
];

export function parseKeyPattern(key: unknown): IndexField[] {
  if (!key || typeof key !== 'object' || Array.isArray(key) || Object.keys(key).length === 0) {
    throw new CommandError(ErrorCodes.CannotCreateIndex, 'Index keys cannot be empty.');
  }
  return Object.entries(key as Record<string, unknown>).map(([path, raw]) => {
    if (typeof raw === 'string') {
      throw new CommandError(ErrorCodes.CannotCreateIndex, `Unknown index plugin '${raw}'`);
    }
    const dir = Number(raw);
    if (!Number.isFinite(dir) || dir === 0) {
      throw new CommandError(
        ErrorCodes.CannotCreateIndex,
        `Values in the index key pattern can only be numbers or strings, and numbers must be non-zero: ${path}: ${String(raw)}`,
      );
    }
    if (path === '' || path.startsWith('$') || path.includes('..')) {
      throw new CommandError(ErrorCodes.CannotCreateIndex, `Index key contains an illegal field name: '${path}'`);
    }
    return { path, direction: dir > 0 ? 1 : -1 };
  });
}

export function defaultIndexName(key: Record<string, unknown>): string {
  return Object.entries(key)
    .map(([path, dir]) => `${path}_${String(dir)}`)
    .join('_');
}

export function sameIndexOptions(a: IndexSpec, b: IndexSpec): boolean {
  return IDENTITY_OPTIONS.every((opt) => JSON.stringify(a[opt] ?? null) === JSON.stringify(b[opt] ?? null));
}

export function sameKeyPattern(a: IndexSpec, b: IndexSpec): boolean {
  return JSON.stringify(a.key) === JSON.stringify(b.key);
}

export function isTextIndexSpec(spec: IndexSpec): boolean {
  return spec.key._fts === 'text';
}

/** Logical operators of a partial filter whose operands are filters again. */
const FILTER_LISTS = new Set(['$and', '$or', '$nor']);

function filterPaths(filter: unknown, into: string[]): boolean {
  if (!filter || typeof filter !== 'object' || Array.isArray(filter)) return false;
  for (const [key, value] of Object.entries(filter as Record<string, unknown>)) {
    if (!key.startsWith('$')) into.push(key);
    else if (!FILTER_LISTS.has(key) || !Array.isArray(value) || !value.every((branch) => filterPaths(branch, into)))
      return false;
  }
  return true;
}

function topLevelFieldsRead(paths: string[], partialFilter: Document | undefined): string[] | undefined {
  const all = [...paths];
  if (partialFilter !== undefined && !filterPaths(partialFilter, all)) return undefined;
  if (all.some((path) => path === '$**')) return undefined;
  return [...new Set(all.map((path) => path.split('.')[0]!))];
}

export class IndexHandle {
  readonly fields: IndexField[];
  /** Set for a text index: its weighted fields and language. */
  readonly text: TextIndexOptions | undefined;
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly partial: Query | undefined;
  readonly isIdIndex: boolean;
  /**
   * The top-level fields this index's keys depend on (its key, text weights and partial filter);
   * undefined when any field may matter (a wildcard text index, a filter this cannot read).
   * An update leaving all of them byte for byte as they were leaves the index's entries alone.
   */
  readonly readsTopLevel: readonly string[] | undefined;

  constructor(
    readonly spec: IndexSpec,
    /** Name of the SQLite table holding (key, rid); undefined for the _id index (kept on the documents table). */
    readonly table: string | undefined,
    public multikey: boolean,
  ) {
    this.text = isTextIndexSpec(spec)
      ? { weights: spec.weights as Record<string, number>, language: String(spec.default_language ?? 'english') }
      : undefined;
    this.fields = this.text ? [] : parseKeyPattern(spec.key);
    this.isIdIndex = spec.name === ID_INDEX_NAME;
    this.unique = this.isIdIndex || spec.unique === true;
    this.sparse = spec.sparse === true;
    this.partial = spec.partialFilterExpression ? compileQuery(spec.partialFilterExpression) : undefined;
    this.readsTopLevel = topLevelFieldsRead(
      this.text ? Object.keys(this.text.weights) : this.fields.map((field) => field.path),
      spec.partialFilterExpression,
    );
  }

  get name(): string {
    return this.spec.name;
  }

  /** The keys a document contributes to this index, or none when sparse/partial leave it out. */
  keysOf(doc: Record<string, unknown>): { keys: IndexKey[]; multikey: boolean } {
    if (this.partial && !this.partial.test(doc)) return { keys: [], multikey: false };
    if (this.text) {
      const terms = [...termScores(doc, this.text).keys()];
      return { keys: terms.map((term) => ({ bytes: encodeKey(term), values: [term] })), multikey: terms.length > 1 };
    }
    const result = documentKeys(doc, this.fields);
    if (this.sparse && result.allMissing) return { keys: [], multikey: false };
    return result;
  }

  /** Sparse and partial indexes do not hold every document, so only some queries may use them. */
  get complete(): boolean {
    return !this.sparse && !this.partial;
  }
}
