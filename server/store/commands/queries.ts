import { calculateObjectSize, Long, type Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';
import { DEFAULT_FIRST_BATCH } from '../engine/cursors.js';
import { valuesAtPath } from '../engine/index-keys.js';
import { encodeKey } from '../engine/key-encoding.js';
import type { Plan } from '../engine/planner.js';
import { validateFilter } from '../engine/query-validation.js';
import { explainPlan, matchDocuments, runFind } from '../engine/query-executor.js';
import { encodeCursorReply } from '../wire/protocol.js';
import { runAggregate, toCommandError } from './aggregate-runner.js';
import { MAX_BSON_OBJECT_SIZE } from './handshake.js';
import {
  collectionArg,
  optionalNonNegative,
  optionalObject,
  requireArray,
  type CommandContext,
  type CommandHandler,
} from './context.js';

/** Fields the driver may add to any find besides the query itself. */
const FIND_FIELDS = new Set([
  'find',
  'filter',
  'sort',
  'projection',
  'hint',
  'skip',
  'limit',
  'batchSize',
  'singleBatch',
  'comment',
  'maxTimeMS',
  'readConcern',
  'max',
  'min',
  'returnKey',
  'showRecordId',
  'tailable',
  'oplogReplay',
  'noCursorTimeout',
  'awaitData',
  'allowPartialResults',
  'collation',
  'allowDiskUse',
  'let',
  'lsid',
  '$db',
  '$readPreference',
  '$clusterTime',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  'txnNumber',
  'readOnce',
  'ntoreturn',
  'term',
  'maxScan',
  '$audit',
  '$client',
  'mayBypassWriteBlocking',
  'databaseVersion',
  'shardVersion',
]);

function batchSizeOf(body: Document, field: string, command: string): number {
  return optionalNonNegative(body, command, field) ?? DEFAULT_FIRST_BATCH;
}

/** Runs a lazy source into a cursor, turning mingo/engine errors into MongoDB errors. */
function openCursor(
  ctx: CommandContext,
  ns: string,
  source: Iterator<Buffer>,
  batchSize: number,
  singleBatch: boolean,
): Buffer {
  try {
    const batch = ctx.cursors.open(ns, source, batchSize, singleBatch);
    return encodeCursorReply(batch.cursorId, ns, 'firstBatch', batch.docs);
  } catch (error) {
    throw toCommandError(error);
  }
}

const find: CommandHandler = (ctx, body) => {
  const name = collectionArg(body, 'find');
  for (const field of Object.keys(body)) {
    if (!FIND_FIELDS.has(field))
      throw new CommandError(ErrorCodes.Location40415, `BSON field 'find.${field}' is an unknown field.`);
  }
  const filter = optionalObject(body, 'find', 'filter') ?? {};
  const sort = optionalObject(body, 'find', 'sort');
  const projection = optionalObject(body, 'find', 'projection');
  const skip = optionalNonNegative(body, 'find', 'skip');
  const limit = optionalNonNegative(body, 'find', 'limit');
  const batchSize = optionalNonNegative(body, 'find', 'batchSize');
  ctx.storage.metrics.opcounters.query++;
  const collection = ctx.storage.get(ctx.db, name);
  const source = runFind(ctx.storage, collection, { filter, sort, projection, skip, limit, hint: body.hint });
  return openCursor(ctx, `${ctx.db}.${name}`, source, batchSize ?? DEFAULT_FIRST_BATCH, body.singleBatch === true);
};

const getMore: CommandHandler = (ctx, body) => {
  const raw = body.getMore as unknown;
  if (typeof raw !== 'number' && !(raw instanceof Long)) {
    throw new CommandError(
      ErrorCodes.TypeMismatch,
      `BSON field 'getMore.getMore' is the wrong type, expected type 'long'`,
    );
  }
  const collection = body.collection;
  if (typeof collection !== 'string') {
    throw new CommandError(
      ErrorCodes.TypeMismatch,
      `BSON field 'getMore.collection' is the wrong type, expected type 'string'`,
    );
  }
  ctx.storage.metrics.opcounters.getmore++;
  const id = typeof raw === 'number' ? BigInt(raw) : raw.toBigInt();
  const ns = `${ctx.db}.${collection}`;
  try {
    const batch = ctx.cursors.getMore(id, ns, optionalNonNegative(body, 'getMore', 'batchSize') ?? 0);
    return encodeCursorReply(batch.cursorId, ns, 'nextBatch', batch.docs);
  } catch (error) {
    throw toCommandError(error);
  }
};

const killCursors: CommandHandler = (ctx, body) => {
  collectionArg(body, 'killCursors');
  const ids = requireArray(body, 'killCursors', 'cursors').map((id) =>
    id instanceof Long ? id.toBigInt() : BigInt(Number(id)),
  );
  const { killed, notFound } = ctx.cursors.kill(ids);
  return {
    cursorsKilled: killed.map((id) => Long.fromBigInt(id)),
    cursorsNotFound: notFound.map((id) => Long.fromBigInt(id)),
    cursorsAlive: [],
    cursorsUnknown: [],
    ok: 1,
  };
};

const count: CommandHandler = (ctx, body) => {
  const name = collectionArg(body, 'count');
  const query = optionalObject(body, 'count', 'query') ?? {};
  const skip = optionalNonNegative(body, 'count', 'skip') ?? 0;
  const limit = Math.abs(Number(body.limit ?? 0));
  validateFilter(query);
  const collection = ctx.storage.get(ctx.db, name);
  if (!collection) return { n: 0, ok: 1 };
  let n: number;
  if (Object.keys(query).length === 0 && body.hint === undefined) {
    n = collection.count();
  } else {
    n = 0;
    try {
      for (const _ of matchDocuments(ctx.storage, collection, query, [], body.hint)) n++;
    } catch (error) {
      throw toCommandError(error);
    }
  }
  n = Math.max(0, n - skip);
  return { n: limit > 0 ? Math.min(n, limit) : n, ok: 1 };
};

const distinct: CommandHandler = (ctx, body) => {
  const name = collectionArg(body, 'distinct');
  const key = body.key;
  if (typeof key !== 'string') {
    throw new CommandError(
      ErrorCodes.TypeMismatch,
      `BSON field 'distinct.key' is the wrong type, expected type 'string'`,
    );
  }
  const query = optionalObject(body, 'distinct', 'query') ?? {};
  const values = new Map<string, unknown>();
  try {
    for (const match of matchDocuments(ctx.storage, ctx.storage.get(ctx.db, name), query, [], body.hint)) {
      const found = valuesAtPath(match.doc, key);
      if (!found.found) continue;
      for (const value of found.values) {
        if (value === undefined) continue;
        const encoded = encodeKey(value).toString('latin1');
        if (!values.has(encoded)) values.set(encoded, value);
      }
    }
  } catch (error) {
    throw toCommandError(error);
  }
  const sorted = [...values.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  // MongoDB caps the values array at the user document size rather than build a reply it can't send.
  if (calculateObjectSize({ values: sorted }) >= MAX_BSON_OBJECT_SIZE) {
    throw new CommandError(17217, 'distinct too big, 16mb cap');
  }
  return { values: sorted, ok: 1 };
};

const aggregate: CommandHandler = (ctx, body) => {
  const target = body.aggregate;
  if (target !== 1 && typeof target !== 'string') {
    throw new CommandError(ErrorCodes.InvalidNamespace, `collection name has invalid type ${typeof target}`);
  }
  if (target === 1) {
    throw new CommandError(
      ErrorCodes.InvalidNamespace,
      'database-level aggregation ({aggregate: 1}) is not supported by the embedded store',
    );
  }
  const pipeline = requireArray(body, 'aggregate', 'pipeline') as Document[];
  if (body.explain === true) return explainReply(ctx, target, explainFromPipeline(ctx, target, pipeline));
  const cursorOptions = optionalObject(body, 'aggregate', 'cursor');
  if (!cursorOptions && body.explain === undefined) {
    throw new CommandError(
      ErrorCodes.FailedToParse,
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  ctx.storage.metrics.opcounters.command++;
  const source = runAggregate(ctx.storage, ctx.db, ctx.storage.get(ctx.db, target), pipeline);
  return openCursor(
    ctx,
    `${ctx.db}.${target}`,
    source,
    batchSizeOf(cursorOptions ?? {}, 'batchSize', 'aggregate'),
    false,
  );
};

function describePlan(plan: Plan | undefined): Document {
  if (!plan || plan.type === 'collscan')
    return { stage: 'COLLSCAN', direction: plan?.direction === -1 ? 'backward' : 'forward' };
  if (plan.type === 'or') return { stage: 'OR', inputStages: plan.branches.map(describePlan) };
  return {
    stage: 'FETCH',
    inputStage: {
      stage: 'IXSCAN',
      indexName: plan.index.name,
      keyPattern: plan.index.spec.key,
      isMultiKey: plan.index.multikey,
      isUnique: plan.index.unique,
      direction: plan.direction === 1 ? 'forward' : 'backward',
      intervalCount: plan.intervals.length,
    },
  };
}

function explainFromPipeline(ctx: CommandContext, name: string, pipeline: Document[]): Plan | undefined {
  const collection = ctx.storage.get(ctx.db, name);
  const first = pipeline[0];
  if (!collection) return undefined;
  return explainPlan(collection, first && '$match' in first ? (first.$match as Document) : {}, undefined);
}

function explainReply(ctx: CommandContext, name: string, plan: Plan | undefined): Document {
  return {
    queryPlanner: { namespace: `${ctx.db}.${name}`, winningPlan: describePlan(plan), rejectedPlans: [] },
    serverInfo: { host: ctx.server.host, version: '7.0.0' },
    ok: 1,
  };
}

const explain: CommandHandler = (ctx, body) => {
  const inner = optionalObject(body, 'explain', 'explain');
  if (!inner) throw new CommandError(ErrorCodes.FailedToParse, 'explain command requires a nested object');
  const command = Object.keys(inner)[0];
  const name = typeof command === 'string' ? inner[command] : undefined;
  if (typeof name !== 'string') throw new CommandError(ErrorCodes.InvalidNamespace, 'explain needs a collection name');
  const collection = ctx.storage.get(ctx.db, name);
  switch (command) {
    case 'find':
      return explainReply(
        ctx,
        name,
        collection && explainPlan(collection, (inner.filter as Document) ?? {}, inner.sort as Document, inner.hint),
      );
    case 'count':
    case 'distinct':
      return explainReply(
        ctx,
        name,
        collection && explainPlan(collection, (inner.query as Document) ?? {}, undefined, inner.hint),
      );
    case 'aggregate':
      return explainReply(ctx, name, explainFromPipeline(ctx, name, (inner.pipeline as Document[]) ?? []));
    default:
      throw new CommandError(ErrorCodes.CommandNotFound, `Explain failed due to unknown command: ${String(command)}`);
  }
};

export const queryCommands: Record<string, CommandHandler> = {
  find,
  getMore,
  killCursors,
  count,
  distinct,
  aggregate,
  explain,
};
