import { ObjectId, serialize, type Document } from 'bson';
import type { Collection } from './collection.js';
import { decodeDocument } from './collection.js';
import { compileFilter } from './filter.js';
import { rememberStoredBytes } from './mingo-options.js';
import type { Dependencies } from './dependencies.js';
import { decodeTopLevel } from './raw-document.js';
import { planQuery, type Plan, type SortSpec } from './planner.js';
import { compileProjection, parseProjection } from './projection.js';
import { validateFilter } from './query-validation.js';
import { scanPlan } from './scan.js';
import { textMatches } from './text-search.js';
import { parseSort, sortDocuments } from './sort.js';
import type { Storage } from './storage.js';

export interface MatchedDoc {
  rid: number;
  doc: Record<string, unknown>;
  bytes: Buffer;
  /** Relevance of a `$text` match. */
  textScore?: number;
}

export interface FindSpec {
  filter: Document;
  sort?: Document;
  projection?: Document;
  skip?: number;
  limit?: number;
  hint?: unknown;
}

/** Documents of a collection that match a filter, read through the best plan. */
export function* matchDocuments(
  storage: Storage,
  collection: Collection | undefined,
  filter: Document,
  sort: SortSpec = [],
  hint?: unknown,
  plan?: Plan,
  reads?: Dependencies,
): Generator<MatchedDoc, void, undefined> {
  if (!collection) {
    // MongoDB parses the filter, and reports its mistakes, whether or not the collection exists.
    validateFilter(filter);
    return;
  }
  if ('$text' in filter) {
    yield* textMatches(collection, filter, storage.metrics);
    return;
  }
  const query = compileFilter(filter);
  const chosen = plan ?? planQuery(collection, filter, sort, hint);
  const metrics = storage.metrics.queryExecutor;
  // The caller reads a few fields (a pipeline's dependencies): decode those and the filter's, once.
  const decodeOnly =
    reads && query.reads
      ? [...new Set([...reads, ...query.reads])].map((name) => Buffer.from(name, 'utf8'))
      : undefined;
  for (const row of scanPlan(collection, chosen, (n) => (metrics.scanned += n))) {
    metrics.scannedObjects++;
    if (decodeOnly) {
      const doc = decodeTopLevel(row.bytes, decodeOnly).fields;
      if (query.readsStoredTypes) rememberStoredBytes(doc, row.bytes);
      if (query.test(doc)) yield { rid: row.rid, doc, bytes: row.bytes };
      continue;
    }
    if (!query.fields) {
      const doc = decodeDocument(row.bytes);
      if (query.readsStoredTypes) rememberStoredBytes(doc, row.bytes);
      if (query.test(doc)) yield { rid: row.rid, doc, bytes: row.bytes };
      continue;
    }
    // The filter reads few fields: decode those, and the whole document only if asked for.
    if (query.test(decodeTopLevel(row.bytes, query.fields).fields)) yield lazyMatch(row.rid, row.bytes);
  }
}

function lazyMatch(rid: number, bytes: Buffer): MatchedDoc {
  let doc: Record<string, unknown> | undefined;
  return {
    rid,
    bytes,
    get doc() {
      doc ??= decodeDocument(bytes);
      return doc;
    },
  };
}

export function explainPlan(
  collection: Collection,
  filter: Document,
  sort: Document | undefined,
  hint?: unknown,
): Plan {
  return planQuery(collection, filter, parseSort(sort), hint);
}

/** Matching documents in sort order (sorting in memory unless an index gives the order). */
export function* sortedMatches(
  storage: Storage,
  collection: Collection | undefined,
  filter: Document,
  sortDoc: Document | undefined,
  hint?: unknown,
  reads?: Dependencies,
): Generator<MatchedDoc, void, undefined> {
  const sort = parseSort(sortDoc);
  if (!collection) {
    validateFilter(filter);
    return;
  }
  const plan = '$text' in filter ? undefined : planQuery(collection, filter, sort, hint);
  // Sorting in memory reads the sort keys too.
  const decoded = reads && new Set([...reads, ...sort.map(([path]) => path.split('.')[0]!)]);
  const source = matchDocuments(storage, collection, filter, sort, hint, plan, decoded);
  if (sort.length === 0 || plan?.providesSort) {
    yield* source;
    return;
  }
  yield* sortDocuments([...source], sort);
}

/** `{ score: { $meta: 'textScore' } }` fields are filled from the match, the rest projected as usual. */
function splitScoreProjection(projection: Document | undefined): { projection?: Document; scoreFields: string[] } {
  const scoreFields: string[] = [];
  const rest: Document = {};
  for (const [field, value] of Object.entries(projection ?? {})) {
    if ((value as { $meta?: unknown } | null)?.$meta === 'textScore') scoreFields.push(field);
    else rest[field] = value;
  }
  return { projection: Object.keys(rest).length > 0 ? rest : undefined, scoreFields };
}

/**
 * The documents a find returns, as BSON ready for the reply. The filter and the projection are
 * checked now, as MongoDB parses them before reading anything; documents are read when pulled.
 */
export function runFind(
  storage: Storage,
  collection: Collection | undefined,
  spec: FindSpec,
): Generator<Buffer, void, undefined> {
  validateFilter(spec.filter);
  if (spec.projection) parseProjection(spec.projection, { find: true });
  const { projection, scoreFields } = splitScoreProjection(spec.projection);
  const { $text: _text, ...positionalFilter } = spec.filter;
  const project = projection ? compileProjection(projection, positionalFilter) : undefined;
  const reads = projectionReads(projection);
  return findResults(storage, collection, spec, project, scoreFields, reads);
}

/**
 * The fields a plain inclusion projection (`{ a: 1, 'b.c': 1 }`, `_id` kept or not) reads: only
 * those, the filter's and the sort's are decoded. `$slice` and `$elemMatch` keep the rest of the
 * document, so they read it all.
 */
function projectionReads(projection: Document | undefined): Dependencies {
  if (!projection) return undefined;
  const entries = Object.entries(projection);
  const plain = entries.every(
    ([key, value]) => value === 1 || value === true || (key === '_id' && (value === 0 || value === false)),
  );
  if (!plain || !entries.some(([, value]) => value === 1 || value === true)) return undefined;
  return new Set(['_id', ...entries.map(([key]) => key.split('.')[0]!)]);
}

function* findResults(
  storage: Storage,
  collection: Collection | undefined,
  spec: FindSpec,
  project: ((doc: Document) => Document) | undefined,
  scoreFields: string[],
  reads: Dependencies,
): Generator<Buffer, void, undefined> {
  const skip = spec.skip ?? 0;
  const limit = spec.limit && spec.limit > 0 ? spec.limit : Infinity;
  let skipped = 0;
  let returned = 0;
  for (const match of sortedMatches(storage, collection, spec.filter, spec.sort, spec.hint, reads)) {
    if (skipped < skip) {
      skipped++;
      continue;
    }
    returned++;
    storage.metrics.document.returned++;
    if (!project && scoreFields.length === 0) {
      yield match.bytes;
    } else {
      const projected = project ? project(match.doc) : { ...match.doc };
      for (const field of scoreFields) projected[field] = match.textScore ?? 0;
      yield serializeDoc(projected);
    }
    // Stop before pulling another document: a limited find examines no more than it returns.
    if (returned >= limit) return;
  }
}

export function ensureId(doc: Record<string, unknown>): Record<string, unknown> {
  if (doc._id !== undefined) return doc;
  return { _id: new ObjectId(), ...doc };
}

export function serializeDoc(doc: Document): Buffer {
  const bytes = serialize(doc, { ignoreUndefined: true });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
