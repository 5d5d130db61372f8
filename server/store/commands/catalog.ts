import { Binary, type Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';
import { encodeKey } from '../engine/key-encoding.js';
import { compileQuery } from '../engine/mingo-options.js';
import { serializeDoc } from '../engine/query-executor.js';
import { encodeCursorReply } from '../wire/protocol.js';
import { collectionArg, optionalObject, type CommandContext, type CommandHandler } from './context.js';

const UNSUPPORTED_CREATE_OPTIONS = ['capped', 'viewOn', 'timeseries', 'clusteredIndex'];

const create: CommandHandler = (ctx, body) => {
  const name = collectionArg(body, 'create');
  for (const option of UNSUPPORTED_CREATE_OPTIONS) {
    if (body[option] !== undefined && body[option] !== false) {
      throw new CommandError(ErrorCodes.InvalidOptions, `the embedded store does not support '${option}' collections`);
    }
  }
  const options: Document = {};
  for (const [key, value] of Object.entries(body)) {
    if (key !== 'create' && !key.startsWith('$') && key !== 'lsid' && key !== 'writeConcern' && key !== 'comment')
      options[key] = value;
  }
  const existing = ctx.storage.get(ctx.db, name);
  if (existing) {
    // MongoDB 7 (SERVER-60064) answers ok when the collection exists with identical options.
    if (sameCollectionOptions(existing.info.options, options)) return { ok: 1 };
    throw new CommandError(
      ErrorCodes.NamespaceExists,
      `namespace ${existing.ns} already exists, but with different options: ${JSON.stringify(existing.info.options)}`,
    );
  }
  ctx.storage.createCollection(ctx.db, name, options);
  return { ok: 1 };
};

/** Option documents compared field by field, whatever their order. */
function sameCollectionOptions(a: Document, b: Document): boolean {
  const canonical = (options: Document) =>
    Object.keys(options)
      .sort()
      .map((key) => [key, options[key]]);
  return encodeKey(canonical(a)).equals(encodeKey(canonical(b)));
}

const drop: CommandHandler = (ctx, body) => {
  const name = collectionArg(body, 'drop');
  const dropped = ctx.storage.dropCollection(ctx.db, name);
  if (dropped) ctx.cursors.killNamespace(dropped.ns);
  return { ns: `${ctx.db}.${name}`, nIndexesWas: dropped ? dropped.indexes.length : 0, ok: 1 };
};

const dropDatabase: CommandHandler = (ctx) => {
  for (const collection of ctx.storage.listCollections(ctx.db)) {
    ctx.storage.dropCollection(ctx.db, collection.info.name);
    ctx.cursors.killNamespace(collection.ns);
  }
  return { dropped: ctx.db, ok: 1 };
};

function splitNamespace(ns: unknown, field: string): { db: string; coll: string } {
  if (typeof ns !== 'string' || !ns.includes('.')) {
    throw new CommandError(ErrorCodes.InvalidNamespace, `Invalid ${field} namespace: ${String(ns)}`);
  }
  const dot = ns.indexOf('.');
  return { db: ns.slice(0, dot), coll: ns.slice(dot + 1) };
}

const renameCollection: CommandHandler = (ctx, body) => {
  if (ctx.db !== 'admin')
    throw new CommandError(ErrorCodes.Unauthorized, 'renameCollection may only be run against the admin database.');
  const from = splitNamespace(body.renameCollection, 'source');
  const to = splitNamespace(body.to, 'target');
  const source = ctx.storage.get(from.db, from.coll);
  if (!source)
    throw new CommandError(ErrorCodes.NamespaceNotFound, `Source collection ${from.db}.${from.coll} does not exist`);
  if (ctx.storage.get(to.db, to.coll)) {
    if (body.dropTarget !== true) throw new CommandError(ErrorCodes.NamespaceExists, 'target namespace exists');
    ctx.storage.dropCollection(to.db, to.coll);
  }
  ctx.cursors.killNamespace(source.ns);
  ctx.storage.renameCollection(source, to.db, to.coll);
  return { ok: 1 };
};

const listCollections: CommandHandler = (ctx, body) => {
  const filter = optionalObject(body, 'listCollections', 'filter') ?? {};
  const query = compileQuery(filter);
  const docs = ctx.storage
    .listCollections(ctx.db)
    .map((c) => ({
      name: c.info.name,
      type: 'collection',
      options: c.info.options,
      info: { readOnly: false, uuid: new Binary(c.info.uuid, Binary.SUBTYPE_UUID) },
      idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
    }))
    .filter((doc) => query.test(doc))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((doc) => (body.nameOnly === true ? { name: doc.name, type: doc.type } : doc));
  return encodeCursorReply(0n, `${ctx.db}.$cmd.listCollections`, 'firstBatch', docs.map(serializeDoc));
};

function storageSizes(ctx: CommandContext, db: string): { objects: number; dataSize: number; indexes: number } {
  let objects = 0;
  let dataSize = 0;
  let indexes = 0;
  for (const c of ctx.storage.listCollections(db)) {
    objects += c.count();
    dataSize += c.dataSize();
    indexes += c.indexes.length;
  }
  return { objects, dataSize, indexes };
}

const listDatabases: CommandHandler = (ctx, body) => {
  const databases = ctx.storage.listDatabases().map((name) => {
    const { dataSize } = storageSizes(ctx, name);
    return { name, sizeOnDisk: dataSize, empty: dataSize === 0 };
  });
  const filter = optionalObject(body, 'listDatabases', 'filter');
  const selected = filter ? databases.filter((d) => compileQuery(filter).test(d)) : databases;
  const totalSize = selected.reduce((sum, d) => sum + d.sizeOnDisk, 0);
  if (body.nameOnly === true) return { databases: selected.map((d) => ({ name: d.name })), ok: 1 };
  return { databases: selected, totalSize, totalSizeMb: Math.round(totalSize / 1024 / 1024), ok: 1 };
};

const dbStats: CommandHandler = (ctx) => {
  const { objects, dataSize, indexes } = storageSizes(ctx, ctx.db);
  return {
    db: ctx.db,
    collections: ctx.storage.listCollections(ctx.db).length,
    views: 0,
    objects,
    avgObjSize: objects > 0 ? dataSize / objects : 0,
    dataSize,
    storageSize: dataSize,
    indexes,
    indexSize: 0,
    totalSize: dataSize,
    scaleFactor: 1,
    ok: 1,
  };
};

const collStats: CommandHandler = (ctx, body) => {
  const name = collectionArg(body, 'collStats');
  const collection = ctx.storage.get(ctx.db, name);
  if (!collection) throw new CommandError(ErrorCodes.NamespaceNotFound, `Collection [${ctx.db}.${name}] not found.`);
  const count = collection.count();
  const size = collection.dataSize();
  return {
    ns: collection.ns,
    count,
    size,
    avgObjSize: count > 0 ? size / count : 0,
    storageSize: size,
    nindexes: collection.indexes.length,
    indexSizes: Object.fromEntries(collection.indexes.map((ix) => [ix.name, 0])),
    totalIndexSize: 0,
    ok: 1,
  };
};

/** MongoDB's `fsync`: everything written so far reaches the data file (tools call it before backups). */
const fsync: CommandHandler = (ctx, body) => {
  if (body.lock === true) {
    throw new CommandError(ErrorCodes.IllegalOperation, 'fsync with lock is not supported by the embedded store');
  }
  ctx.storage.flushToDisk();
  return { numFiles: 1, ok: 1 };
};

export const catalogCommands: Record<string, CommandHandler> = {
  fsync,
  create,
  drop,
  dropDatabase,
  renameCollection,
  listCollections,
  listDatabases,
  dbStats,
  collStats,
};
