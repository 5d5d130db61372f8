import { type Document } from 'bson';
import { CommandError, ErrorCodes, WriteError } from '../errors.js';
import type { Collection } from '../engine/collection.js';
import { decodeDocument } from '../engine/collection.js';
import { compileProjection } from '../engine/projection.js';
import { validateFilter } from '../engine/query-validation.js';
import { ensureId, matchDocuments, serializeDoc, sortedMatches, type MatchedDoc } from '../engine/query-executor.js';
import { applyUpdate, isOperatorUpdate, upsertSeed, validateUpdate, type UpdateSpec } from '../engine/update.js';
import { validateArrayFilters } from '../engine/update-checks.js';
import { decodeTopLevel } from '../engine/raw-document.js';
import { MAX_BSON_OBJECT_SIZE } from './handshake.js';
import { collectionArg, optionalObject, type CommandContext, type CommandHandler } from './context.js';
import { toCommandError } from './aggregate-runner.js';

interface WriteErrorEntry {
  index: number;
  code: number;
  errmsg: string;
  [key: string]: unknown;
}

function writeErrorEntry(index: number, error: CommandError): WriteErrorEntry {
  return { index, code: error.code, errmsg: error.message, ...error.extra };
}

/** Statements of a write command: from an OP_MSG document sequence or the command body. */
function statements(
  ctx: CommandContext,
  body: Document,
  field: string,
  command: string,
): { docs: Document[]; raw?: Uint8Array[] } {
  const raw = ctx.request.sequences.get(field);
  if (raw) return { docs: raw.map((bytes) => decodeDocument(bytes)), raw };
  const value = body[field];
  if (!Array.isArray(value)) {
    throw new CommandError(
      ErrorCodes.TypeMismatch,
      `BSON field '${command}.${field}' is the wrong type '${value === undefined ? 'missing' : typeof value}', expected type 'array'`,
    );
  }
  return { docs: value as Document[] };
}

/**
 * Runs each statement of a batch; a failed statement becomes a `writeErrors` entry.
 * `ordered` stops at the first failure, as MongoDB does. The whole batch is one SQLite
 * transaction, so it reaches disk together (and fast), while statements before a failure stay.
 */
function runBatch<T>(
  ctx: CommandContext,
  items: T[],
  ordered: boolean,
  run: (item: T, index: number) => void,
): WriteErrorEntry[] {
  const errors: WriteErrorEntry[] = [];
  ctx.storage.transaction(() => {
    for (let i = 0; i < items.length; i++) {
      try {
        run(items[i]!, i);
      } catch (error) {
        if (!(error instanceof CommandError)) throw error;
        errors.push(writeErrorEntry(i, error));
        if (ordered) break;
      }
    }
  });
  return errors;
}

function withErrors(reply: Document, errors: WriteErrorEntry[]): Document {
  return errors.length > 0 ? { ...reply, writeErrors: errors } : reply;
}

type PreparedInsert = { doc: Record<string, unknown>; bytes: Uint8Array };

function assertNoDollarFields(names: Iterable<string>): void {
  for (const key of names) {
    if (key.startsWith('$'))
      throw new WriteError(ErrorCodes.BadValue, `Document can't have $ prefixed field names: ${key}`);
  }
}

/** A document from the command body: MongoDB stores `_id` first, generating it when absent. */
function prepareInsert(doc: Document): PreparedInsert {
  assertNoDollarFields(Object.keys(doc));
  const { _id, ...rest } = ensureId(doc);
  const ordered = { _id, ...rest };
  return { doc: ordered, bytes: serializeDoc(ordered) };
}

/**
 * A document from an OP_MSG sequence (validated when the message was parsed): stored byte for
 * byte when it already starts with `_id`, decoding only the fields index keys need.
 */
function prepareRawInsert(raw: Uint8Array, keyFields: readonly Uint8Array[] | undefined): PreparedInsert {
  if (raw.length > MAX_BSON_OBJECT_SIZE + 16 * 1024) {
    throw new WriteError(
      ErrorCodes.BadValue,
      `object to insert too large. size in bytes: ${raw.length}, max size: ${MAX_BSON_OBJECT_SIZE}`,
    );
  }
  const { startsWithId, dollarField, fields } = decodeTopLevel(raw, keyFields);
  if (dollarField !== undefined) assertNoDollarFields([dollarField]);
  if (startsWithId) return { doc: fields, bytes: raw };
  return prepareInsert(decodeDocument(raw));
}

const insert: CommandHandler = (ctx, body) => {
  const name = collectionArg(body, 'insert');
  const raw = ctx.request.sequences.get('documents');
  const items: (Uint8Array | Document)[] = raw ?? statements(ctx, body, 'documents', 'insert').docs;
  const collection = ctx.storage.getOrCreate(ctx.db, name);
  const keyFieldSet = collection.fieldsNeededForKeys();
  const keyFields = keyFieldSet && [...keyFieldSet].map((field) => Buffer.from(field, 'utf8'));
  let n = 0;
  const errors = runBatch(ctx, items, body.ordered !== false, (item) => {
    ctx.storage.metrics.opcounters.insert++;
    const prepared = item instanceof Uint8Array ? prepareRawInsert(item, keyFields) : prepareInsert(item);
    collection.insert(prepared.doc, prepared.bytes);
    n++;
  });
  return withErrors({ n, ok: 1 }, errors);
};

interface UpdateStatement {
  q: Document;
  u: UpdateSpec;
  upsert: boolean;
  multi: boolean;
  arrayFilters?: Document[];
  hint?: unknown;
}

function parseUpdateStatement(raw: Document): UpdateStatement {
  const q = raw.q;
  if (!q || typeof q !== 'object' || Array.isArray(q)) {
    throw new WriteError(
      ErrorCodes.TypeMismatch,
      "BSON field 'update.updates.q' is the wrong type, expected type 'object'",
    );
  }
  const u = raw.u as UpdateSpec;
  validateUpdate(u);
  validateArrayFilters(u, raw.arrayFilters);
  if (raw.multi === true && !Array.isArray(u) && !isOperatorUpdate(u)) {
    throw new WriteError(ErrorCodes.FailedToParse, 'multi update is not supported for replacement-style update');
  }
  return {
    q,
    u,
    upsert: raw.upsert === true,
    multi: raw.multi === true,
    arrayFilters: raw.arrayFilters as Document[],
    hint: raw.hint,
  };
}

function replaceMatch(collection: Collection, match: MatchedDoc, next: Record<string, unknown>): boolean {
  const bytes = serializeDoc(next);
  if (bytes.equals(match.bytes)) return false;
  if (bytes.length > MAX_BSON_OBJECT_SIZE)
    throw new WriteError(17419, `Resulting document after update is larger than ${MAX_BSON_OBJECT_SIZE}`);
  collection.replace(match.rid, match, next, bytes);
  return true;
}

function upsertDocument(statement: { q: Document; u: UpdateSpec; arrayFilters?: Document[] }): Record<string, unknown> {
  const replacement = !Array.isArray(statement.u) && !isOperatorUpdate(statement.u);
  const seed = replacement ? (statement.q._id !== undefined ? { _id: statement.q._id } : {}) : upsertSeed(statement.q);
  const doc = applyUpdate(seed, statement.u, {
    arrayFilters: statement.arrayFilters,
    query: statement.q,
    inserting: true,
  });
  const { _id, ...rest } = ensureId(doc);
  return { _id, ...rest };
}

const update: CommandHandler = (ctx, body) => {
  const name = collectionArg(body, 'update');
  const { docs } = statements(ctx, body, 'updates', 'update');
  const collection = ctx.storage.getOrCreate(ctx.db, name);
  let matched = 0;
  let modified = 0;
  const upserted: { index: number; _id: unknown }[] = [];
  const errors = runBatch(ctx, docs, body.ordered !== false, (raw, index) => {
    ctx.storage.metrics.opcounters.update++;
    const statement = parseUpdateStatement(raw);
    const matches = matchAll(ctx, collection, statement.q, statement.multi, statement.hint);
    if (matches.length === 0) {
      if (!statement.upsert) return;
      const doc = upsertDocument(statement);
      collection.insert(doc, serializeDoc(doc));
      upserted.push({ index, _id: doc._id });
      return;
    }
    for (const match of matches) {
      const next = applyUpdate(match.doc, statement.u, { arrayFilters: statement.arrayFilters, query: statement.q });
      matched++;
      if (replaceMatch(collection, match, next)) modified++;
    }
  });
  const reply: Document = { n: matched + upserted.length, nModified: modified, ok: 1 };
  if (upserted.length > 0) reply.upserted = upserted;
  return withErrors(reply, errors);
};

/** Matches are collected before writing, so a document moved by its own update is not met twice. */
function matchAll(
  ctx: CommandContext,
  collection: Collection,
  q: Document,
  multi: boolean,
  hint?: unknown,
): MatchedDoc[] {
  const out: MatchedDoc[] = [];
  try {
    for (const match of matchDocuments(ctx.storage, collection, q, [], hint)) {
      out.push(match);
      if (!multi) break;
    }
  } catch (error) {
    throw toCommandError(error);
  }
  return out;
}

const remove: CommandHandler = (ctx, body) => {
  const name = collectionArg(body, 'delete');
  const { docs } = statements(ctx, body, 'deletes', 'delete');
  const collection = ctx.storage.get(ctx.db, name);
  let n = 0;
  const errors = runBatch(ctx, docs, body.ordered !== false, (raw) => {
    ctx.storage.metrics.opcounters.delete++;
    const q = raw.q as Document;
    if (!q || typeof q !== 'object')
      throw new WriteError(
        ErrorCodes.TypeMismatch,
        "BSON field 'delete.deletes.q' is the wrong type, expected type 'object'",
      );
    const limit = Number(raw.limit ?? 0);
    if (limit !== 0 && limit !== 1)
      throw new WriteError(ErrorCodes.FailedToParse, `The limit field in delete objects must be 0 or 1. Got ${limit}`);
    // The filter is parsed, and its mistakes reported, even when there is no collection to read.
    validateFilter(q);
    if (!collection) return;
    for (const match of matchAll(ctx, collection, q, limit === 0, raw.hint)) {
      collection.remove(match.rid, match.doc);
      n++;
    }
  });
  return withErrors({ n, ok: 1 }, errors);
};

type Projector = (doc: Record<string, unknown> | null) => Record<string, unknown> | null;

/**
 * findAndModify's `fields`, compiled (and so checked) before anything is written. The query
 * serves a positional `$` projection, as it does in find.
 */
function projector(fields: Document | undefined, query: Document): Projector {
  if (!fields || Object.keys(fields).length === 0) return (doc) => doc;
  const { $text: _text, ...positionalFilter } = query;
  const project = compileProjection(fields, positionalFilter);
  return (doc) => doc && (project(doc) as Record<string, unknown>);
}

const findAndModify: CommandHandler = (ctx, body) => {
  const command = 'findAndModify' in body ? 'findAndModify' : 'findandmodify';
  const name = collectionArg(body, command);
  const query = optionalObject(body, command, 'query') ?? {};
  const sort = optionalObject(body, command, 'sort');
  const fields = optionalObject(body, command, 'fields');
  const removeDoc = body.remove === true;
  const updateSpec = body.update as UpdateSpec | undefined;
  if (removeDoc && updateSpec !== undefined)
    throw new CommandError(ErrorCodes.FailedToParse, 'Cannot specify both an update and remove=true');
  if (!removeDoc && updateSpec === undefined)
    throw new CommandError(ErrorCodes.FailedToParse, 'Either an update or remove=true must be specified');
  if (removeDoc && body.upsert === true)
    throw new CommandError(ErrorCodes.FailedToParse, 'Cannot specify both upsert=true and remove=true');
  validateFilter(query);
  const project = projector(fields, query);
  if (updateSpec !== undefined) validateUpdate(updateSpec);
  if (updateSpec !== undefined) validateArrayFilters(updateSpec, body.arrayFilters);
  const collection = ctx.storage.getOrCreate(ctx.db, name);
  return ctx.storage.transaction(() => {
    let match: MatchedDoc | undefined;
    try {
      match = sortedMatches(ctx.storage, collection, query, sort, body.hint).next().value ?? undefined;
    } catch (error) {
      throw toCommandError(error);
    }
    if (removeDoc) {
      ctx.storage.metrics.opcounters.delete++;
      if (match) collection.remove(match.rid, match.doc);
      return { lastErrorObject: { n: match ? 1 : 0 }, value: project(match?.doc ?? null), ok: 1 };
    }
    ctx.storage.metrics.opcounters.update++;
    const arrayFilters = body.arrayFilters as Document[] | undefined;
    if (match) {
      const next = applyUpdate(match.doc, updateSpec!, { arrayFilters, query });
      replaceMatch(collection, match, next);
      return {
        lastErrorObject: { n: 1, updatedExisting: true },
        value: project(body.new === true ? next : match.doc),
        ok: 1,
      };
    }
    if (body.upsert !== true) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    const doc = upsertDocument({ q: query, u: updateSpec!, arrayFilters });
    collection.insert(doc, serializeDoc(doc));
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
      value: body.new === true ? project(doc) : null,
      ok: 1,
    };
  });
};

export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: remove,
  findAndModify,
  findandmodify: findAndModify,
};
