import type { Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';
import type { Collection } from '../engine/collection.js';
import {
  defaultIndexName,
  ID_INDEX_NAME,
  isTextIndexSpec,
  parseKeyPattern,
  sameIndexOptions,
  sameKeyPattern,
  type IndexSpec,
} from '../engine/index-handle.js';
import { TEXT_INDEX_KEY, textSpecOptions } from '../engine/text-index.js';
import { serializeDoc } from '../engine/query-executor.js';
import { encodeCursorReply } from '../wire/protocol.js';
import { collectionArg, requireArray, type CommandHandler } from './context.js';

const ALLOWED_OPTIONS = new Set([
  'key',
  'name',
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'background',
  'v',
  'hidden',
  'collation',
  'weights',
  'default_language',
  'language_override',
  'textIndexVersion',
]);

function normalizeSpec(raw: unknown): IndexSpec {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CommandError(ErrorCodes.TypeMismatch, "BSON field 'createIndexes.indexes' must contain objects");
  }
  const input = raw as Document;
  const isText = input.key && typeof input.key === 'object' && Object.values(input.key as Document).includes('text');
  if (!isText) parseKeyPattern(input.key);
  for (const option of Object.keys(input)) {
    if (!ALLOWED_OPTIONS.has(option)) {
      throw new CommandError(
        ErrorCodes.InvalidIndexSpecificationOption,
        `The field '${option}' is not valid for an index specification. Specification: ${JSON.stringify(input)}`,
      );
    }
  }
  const key = input.key as Record<string, number>;
  const name = input.name ?? defaultIndexName(key);
  if (typeof name !== 'string' || name.length === 0)
    throw new CommandError(ErrorCodes.CannotCreateIndex, 'index name must be a non-empty string');
  const spec: IndexSpec = isText
    ? { v: 2, key: TEXT_INDEX_KEY, name, ...textSpecOptions(input, key) }
    : { v: 2, key, name };
  if (input.unique === true) spec.unique = true;
  if (input.sparse === true) spec.sparse = true;
  if (input.partialFilterExpression !== undefined) {
    if (typeof input.partialFilterExpression !== 'object' || input.partialFilterExpression === null) {
      throw new CommandError(ErrorCodes.TypeMismatch, 'partialFilterExpression must be an object');
    }
    if (spec.sparse)
      throw new CommandError(ErrorCodes.CannotCreateIndex, 'cannot mix "partialFilterExpression" and "sparse" options');
    spec.partialFilterExpression = input.partialFilterExpression as Document;
  }
  if (input.expireAfterSeconds !== undefined) {
    const seconds = Number(input.expireAfterSeconds);
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new CommandError(
        ErrorCodes.CannotCreateIndex,
        `TTL index 'expireAfterSeconds' option must be a non-negative number: ${String(input.expireAfterSeconds)}`,
      );
    }
    if (Object.keys(key).length !== 1) {
      throw new CommandError(
        ErrorCodes.CannotCreateIndex,
        'TTL indexes are single-field indexes, compound indexes do not support TTL',
      );
    }
    spec.expireAfterSeconds = seconds;
  }
  if (input.collation !== undefined)
    throw new CommandError(ErrorCodes.CannotCreateIndex, 'the embedded store does not support index collations');
  return spec;
}

function ensureIndex(
  storage: Parameters<CommandHandler>[0]['storage'],
  collection: Collection,
  spec: IndexSpec,
): boolean {
  if (spec.name === ID_INDEX_NAME || JSON.stringify(spec.key) === '{"_id":1}') {
    if (spec.unique === false || spec.sparse)
      throw new CommandError(
        ErrorCodes.InvalidIndexSpecificationOption,
        'The _id index cannot be sparse or non-unique',
      );
    return false;
  }
  const otherText = isTextIndexSpec(spec) && collection.indexes.find((ix) => ix.text && ix.name !== spec.name);
  if (otherText)
    throw new CommandError(
      ErrorCodes.IndexOptionsConflict,
      `Index already exists with a different name: ${otherText.name}`,
    );
  for (const existing of collection.indexes) {
    if (existing.name === spec.name) {
      if (sameKeyPattern(existing.spec, spec) && sameIndexOptions(existing.spec, spec)) return false;
      if (!sameKeyPattern(existing.spec, spec)) {
        throw new CommandError(
          ErrorCodes.IndexKeySpecsConflict,
          `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing.spec)}`,
        );
      }
      throw new CommandError(
        ErrorCodes.IndexOptionsConflict,
        `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing.spec)}`,
      );
    }
    if (sameKeyPattern(existing.spec, spec) && sameIndexOptions(existing.spec, spec)) {
      throw new CommandError(
        ErrorCodes.IndexOptionsConflict,
        `Index already exists with a different name: ${existing.name}`,
      );
    }
  }
  storage.createIndex(collection, spec);
  return true;
}

const createIndexes: CommandHandler = (ctx, body) => {
  const name = collectionArg(body, 'createIndexes');
  const specs = requireArray(body, 'createIndexes', 'indexes').map(normalizeSpec);
  if (specs.length === 0) throw new CommandError(ErrorCodes.BadValue, 'Must specify at least one index to create');
  const createdCollectionAutomatically = !ctx.storage.get(ctx.db, name);
  const collection = ctx.storage.getOrCreate(ctx.db, name);
  const before = collection.indexes.length;
  let created = 0;
  for (const spec of specs) if (ensureIndex(ctx.storage, collection, spec)) created++;
  return {
    numIndexesBefore: before,
    numIndexesAfter: collection.indexes.length,
    ...(created === 0 ? { note: 'all indexes already exist' } : {}),
    createdCollectionAutomatically,
    ok: 1,
  };
};

const listIndexes: CommandHandler = (ctx, body) => {
  const name = collectionArg(body, 'listIndexes');
  const collection = ctx.storage.get(ctx.db, name);
  if (!collection) throw new CommandError(ErrorCodes.NamespaceNotFound, `ns does not exist: ${ctx.db}.${name}`);
  return encodeCursorReply(
    0n,
    collection.ns,
    'firstBatch',
    collection.indexes.map((ix) => serializeDoc(ix.spec)),
  );
};

function indexesToDrop(collection: Collection, target: unknown): string[] {
  if (target === '*') return collection.secondaryIndexes().map((ix) => ix.name);
  const names = Array.isArray(target) ? target : [target];
  return names.map((entry) => {
    const index =
      typeof entry === 'string'
        ? collection.index(entry)
        : collection.indexes.find((ix) => JSON.stringify(ix.spec.key) === JSON.stringify(entry));
    if (!index) {
      throw new CommandError(
        ErrorCodes.IndexNotFound,
        typeof entry === 'string'
          ? `index not found with name [${entry}]`
          : `can't find index with key: ${JSON.stringify(entry)}`,
      );
    }
    if (index.isIdIndex) throw new CommandError(ErrorCodes.InvalidOptions, 'cannot drop _id index');
    return index.name;
  });
}

const dropIndexes: CommandHandler = (ctx, body) => {
  const command = 'dropIndexes' in body ? 'dropIndexes' : 'deleteIndexes';
  const name = collectionArg(body, command);
  const collection = ctx.storage.get(ctx.db, name);
  if (!collection) throw new CommandError(ErrorCodes.NamespaceNotFound, `ns not found ${ctx.db}.${name}`);
  const before = collection.indexes.length;
  for (const indexName of indexesToDrop(collection, body.index)) ctx.storage.dropIndex(collection, indexName);
  return { nIndexesWas: before, ok: 1 };
};

export const indexCommands: Record<string, CommandHandler> = {
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
};
