import type { Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';
import type { Collection } from '../engine/collection.js';
import type { Aggregator } from 'mingo/aggregator';
import { compileLeadingStages } from '../engine/compiled-stages.js';
import { pipelineDependencies } from '../engine/dependencies.js';
import { compilePipeline } from '../engine/mingo-options.js';
import { validatePipeline } from '../engine/pipeline-validation.js';
import { ensureId, matchDocuments, serializeDoc, sortedMatches } from '../engine/query-executor.js';
import type { Storage } from '../engine/storage.js';

function stageName(stage: unknown): string {
  if (!stage || typeof stage !== 'object' || Array.isArray(stage)) {
    throw new CommandError(ErrorCodes.TypeMismatch, "Each element of the 'pipeline' array must be an object");
  }
  const keys = Object.keys(stage);
  if (keys.length !== 1) {
    throw new CommandError(40323, 'A pipeline stage specification object must contain exactly one field.');
  }
  return keys[0]!;
}

/** Reads a whole collection for `$lookup`, `$graphLookup` and `$unionWith`. */
function collectionResolver(storage: Storage, db: string): (name: string) => Document[] {
  return (name) => [...matchDocuments(storage, storage.get(db, name), {})].map((m) => m.doc);
}

interface OutputStage {
  kind: '$out' | '$merge';
  spec: unknown;
}

/**
 * Runs a pipeline. A leading `$match` (and `$sort`) is served by the query planner so indexes
 * are used; the rest runs in mingo, lazily, so a cursor pulls only what a batch needs.
 */
export function runAggregate(
  storage: Storage,
  db: string,
  collection: Collection | undefined,
  pipeline: Document[],
): Generator<Buffer, void, undefined> {
  const names = pipeline.map(stageName);
  for (const name of names) {
    if (!name.startsWith('$')) throw new CommandError(40324, `Unrecognized pipeline stage name: '${name}'`);
  }
  validatePipeline(pipeline);
  let output: OutputStage | undefined;
  const last = names[names.length - 1];
  if (last === '$out' || last === '$merge') {
    output = { kind: last, spec: pipeline[pipeline.length - 1]![last] };
    pipeline = pipeline.slice(0, -1);
  }
  if (names.slice(0, -1).some((n) => n === '$out' || n === '$merge')) {
    throw new CommandError(40601, '$out/$merge can only be the final stage in the pipeline');
  }
  const leadingMatch = pipeline[0] as Document | undefined;
  const filter = leadingMatch && '$match' in leadingMatch ? (leadingMatch.$match as Document) : undefined;
  const sortStage = pipeline[1] as Document | undefined;
  const sort = filter && sortStage && '$sort' in sortStage ? (sortStage.$sort as Document) : undefined;
  // The source applies the leading $match (with $text, which mingo lacks) and $sort by the
  // planner's index and the store's own filter: mingo would only test each document again.
  const rest = filter ? pipeline.slice(sort ? 2 : 1) : pipeline;
  // The leading stages the store compiles run as closures; mingo interprets the rest, if any.
  const { compiled, rest: interpreted } = compileLeadingStages(rest);
  let aggregator: Aggregator | undefined;
  try {
    if (!compiled || interpreted.length > 0) {
      aggregator = compilePipeline(interpreted, { collectionResolver: collectionResolver(storage, db) });
    }
  } catch (error) {
    throw toCommandError(error);
  }
  const reads = pipelineDependencies(rest);
  const matched = (function* () {
    for (const match of sortedMatches(storage, collection, filter ?? {}, sort, undefined, reads)) yield match.doc;
  })();
  const source = compiled ? compiled(matched) : matched;
  const results = (function* () {
    let iterator: { next(): unknown };
    try {
      iterator = aggregator ? aggregator.stream(source) : source[Symbol.iterator]();
    } catch (error) {
      throw toCommandError(error);
    }
    for (;;) {
      let next;
      try {
        next = iterator.next() as IteratorResult<unknown>;
      } catch (error) {
        throw toCommandError(error);
      }
      if (next.done) return;
      yield next.value as Document;
    }
  })();
  if (output) {
    writeOutput(storage, db, output, results);
    return (function* () {})();
  }
  return (function* () {
    for (const doc of results) yield serializeDoc(doc);
  })();
}

export function toCommandError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const unknownStage = /unregistered pipeline operator (\$\w+)/.exec(message);
  if (unknownStage) return new CommandError(40324, `Unrecognized pipeline stage name: '${unknownStage[1]}'`);
  const unknownExpr =
    /unknown (?:expression|accumulator|query) operator:? ['"]?(\$\w+)/i.exec(message) ??
    /Unknown operator '?(\$\w+)/.exec(message);
  if (unknownExpr) return new CommandError(ErrorCodes.BadValue, `unknown operator: ${unknownExpr[1]}`);
  return new CommandError(ErrorCodes.BadValue, message);
}

function targetOf(db: string, spec: unknown, field: string): { db: string; coll: string } {
  if (typeof spec === 'string') return { db, coll: spec };
  const value = spec as Document;
  const into = field === 'into' ? value.into : value;
  if (typeof into === 'string') return { db, coll: into };
  const target = into as { db?: string; coll?: string };
  if (!target?.coll) throw new CommandError(ErrorCodes.FailedToParse, `${field} must name a collection`);
  return { db: target.db ?? db, coll: target.coll };
}

function writeOutput(storage: Storage, db: string, output: OutputStage, results: Iterable<Document>): void {
  const docs = [...results].map(ensureId);
  if (output.kind === '$out') {
    const target = targetOf(db, output.spec, 'coll');
    const collection = storage.getOrCreate(target.db, target.coll);
    storage.transaction(() => {
      for (const match of [...matchDocuments(storage, collection, {})]) collection.remove(match.rid, match.doc);
      for (const doc of docs) collection.insert(doc, serializeDoc(doc));
    });
    return;
  }
  const spec = (typeof output.spec === 'string' ? { into: output.spec } : output.spec) as Document;
  const target = targetOf(db, spec, 'into');
  const on = (Array.isArray(spec.on) ? spec.on : [spec.on ?? '_id']) as string[];
  const whenMatched = (spec.whenMatched as string | undefined) ?? 'merge';
  const whenNotMatched = (spec.whenNotMatched as string | undefined) ?? 'insert';
  const collection = storage.getOrCreate(target.db, target.coll);
  storage.transaction(() => {
    for (const doc of docs) {
      const filter = Object.fromEntries(on.map((field) => [field, doc[field] ?? null]));
      const [existing] = [...matchDocuments(storage, collection, filter)];
      if (!existing) {
        if (whenNotMatched === 'fail')
          throw new CommandError(13113, '$merge could not find a matching document in the target collection');
        if (whenNotMatched === 'insert') collection.insert(doc, serializeDoc(doc));
        continue;
      }
      if (whenMatched === 'fail') {
        throw new CommandError(
          ErrorCodes.DuplicateKey,
          '$merge failed: a matching document exists in the target collection',
        );
      }
      if (whenMatched === 'keepExisting') continue;
      const merged =
        whenMatched === 'replace'
          ? { ...doc, _id: existing.doc._id }
          : { ...existing.doc, ...doc, _id: existing.doc._id };
      collection.replace(existing.rid, existing, merged, serializeDoc(merged));
    }
  });
}
