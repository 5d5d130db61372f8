import { Aggregator } from 'mingo/aggregator';
import { Context, OpType } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Query } from 'mingo/query';
import type { Options } from 'mingo/types';
import { resolve } from 'mingo/util';
import { TypeTag, typeTagOf } from './key-encoding.js';
import { bsonTypesAt } from './raw-document.js';

/**
 * mingo evaluates queries, updates and pipelines; these options teach it the BSON classes the
 * `bson` package deserializes to (ObjectId, Long, Binary, ...), which it does not know natively.
 */

const BSON_TYPE_NUMBERS: Record<string, number> = {
  double: 1,
  string: 2,
  object: 3,
  array: 4,
  binData: 5,
  undefined: 6,
  objectId: 7,
  bool: 8,
  date: 9,
  null: 10,
  regex: 11,
  javascript: 13,
  int: 16,
  timestamp: 17,
  long: 18,
  decimal: 19,
  minKey: -1,
  maxKey: 127,
};

function bsonTypeNumber(value: unknown): number {
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 16 : 1;
  const tagged = (value as { _bsontype?: string } | null)?._bsontype;
  if (tagged === 'Long') return 18;
  if (tagged === 'Decimal128') return 19;
  if (tagged === 'Int32') return 16;
  if (tagged === 'Double') return 1;
  switch (typeTagOf(value)) {
    case TypeTag.Null:
      return 10;
    case TypeTag.Undefined:
      return 6;
    case TypeTag.String:
      return 2;
    case TypeTag.Object:
      return 3;
    case TypeTag.Array:
      return 4;
    case TypeTag.Binary:
      return 5;
    case TypeTag.ObjectId:
      return 7;
    case TypeTag.Boolean:
      return 8;
    case TypeTag.Date:
      return 9;
    case TypeTag.RegExp:
      return 11;
    case TypeTag.Timestamp:
      return 17;
    case TypeTag.MinKey:
      return -1;
    case TypeTag.MaxKey:
      return 127;
    default:
      return 3;
  }
}

const NUMBER_TYPES = new Set([1, 16, 18, 19]);

function typeNumberMatches(type: number, wanted: unknown): boolean {
  if (wanted === 'number') return NUMBER_TYPES.has(type);
  return type === (typeof wanted === 'string' ? BSON_TYPE_NUMBERS[wanted] : Number(wanted));
}

function typeMatches(value: unknown, wanted: unknown): boolean {
  if (wanted === 'number') return typeTagOf(value) === TypeTag.Number;
  const wantedNumber = typeof wanted === 'string' ? BSON_TYPE_NUMBERS[wanted] : Number(wanted);
  return wantedNumber !== undefined && bsonTypeNumber(value) === wantedNumber;
}

/** The BSON bytes documents read from storage were decoded from, while a `$type` filter runs. */
const storedBytes = new WeakMap<object, Uint8Array>();

/**
 * Lets `$type` read the types `doc` has in storage: decoding makes every int64 a JS number, so
 * a long and a double with an integral value look the same.
 */
export function rememberStoredBytes(doc: object, bytes: Uint8Array): void {
  storedBytes.set(doc, bytes);
}

/**
 * mingo's compiled options, caught from the first query compiled with them: handing the same
 * object to later queries spares each one a copy of every operator table (a tenth of the store's
 * time on small queries). mingo passes them to every operator; `$type` keeps the first it sees.
 */
let compiledOptions: Options | undefined;

/** `$type` that knows ObjectId, binData, timestamp, long, decimal (MongoDB's names and numbers). */
function $type(selector: string, wanted: unknown, options: Options): (doc: object) => boolean {
  compiledOptions ??= options;
  const wantedList = Array.isArray(wanted) ? wanted : [wanted];
  return (doc) => {
    const bytes = storedBytes.get(doc);
    if (bytes) {
      const types = bsonTypesAt(bytes, selector);
      return wantedList.some((w) => [...types].some((type) => typeNumberMatches(type, w)));
    }
    // A document not read from storage as such (an array element under $elemMatch...): its values say.
    const value = resolve(doc as Record<string, unknown>, selector, { unwrapArray: true });
    if (value === undefined) return false;
    const candidates = Array.isArray(value) ? [value, ...value] : [value];
    return candidates.some((candidate) => wantedList.some((w) => typeMatches(candidate, w)));
  };
}

/**
 * The full operator set with the store's overrides. It is built here and given to mingo's base
 * classes, because mingo's default entry points merge a custom context *under* their own, so an
 * override such as `$type` would silently never run.
 */
const storeContext = Context.init({
  accumulator: accumulatorOperators,
  expression: expressionOperators,
  pipeline: pipelineOperators,
  projection: projectionOperators,
  query: { ...queryOperators, $type },
  window: windowOperators,
});

/** Whether the store's mingo context has an operator of that kind ('$add' as an expression...). */
export function knowsOperator(kind: OpType.ACCUMULATOR | OpType.EXPRESSION | OpType.PIPELINE, name: string): boolean {
  return name.startsWith('$') && storeContext.getOperator(kind, name) !== null;
}

export const mingoOptions: Partial<Options> = {
  context: storeContext,
  scriptEnabled: false,
  idKey: '_id',
};

// Compiled once, before any other query, so the options it leaves behind carry no query's state.
new Query({ _: { $type: 'string' } }, mingoOptions);

export function compileQuery(filter: Record<string, unknown>, extra: Partial<Options> = {}): Query {
  if (compiledOptions && Object.keys(extra).length === 0) return new Query(filter, compiledOptions);
  return new Query(filter, { ...mingoOptions, ...extra });
}

/**
 * Update operators read conditions (positional `$`, `$pull`, array filters) with query operators
 * only; mingo's updater copies and extends the whole context it is given on every call, so it is
 * given the query operators alone.
 */
export const mingoUpdateOptions: Partial<Options> = {
  ...mingoOptions,
  context: Context.init({ query: { ...queryOperators, $type } }),
};

type Stage = Record<string, unknown>;

/**
 * MongoDB defines `$count` as a `$group` on null, so an empty input yields no document; mingo
 * yields `{name: 0}`. Rewriting it (inside `$facet` and `$lookup`/`$unionWith` sub-pipelines
 * too) gives MongoDB's result.
 */
function rewriteStages(pipeline: Stage[]): Stage[] {
  return pipeline.flatMap((stage): Stage[] => {
    if (!stage || typeof stage !== 'object') return [stage];
    const [name] = Object.keys(stage);
    const spec = stage[name!];
    if (name === '$count' && typeof spec === 'string') {
      return [{ $group: { _id: null, [spec]: { $sum: 1 } } }, { $project: { _id: 0 } }];
    }
    if (name === '$facet' && spec && typeof spec === 'object') {
      const facets = Object.entries(spec as Record<string, unknown>).map(([key, sub]) => [
        key,
        Array.isArray(sub) ? rewriteStages(sub as Stage[]) : sub,
      ]);
      return [{ $facet: Object.fromEntries(facets) }];
    }
    if (
      (name === '$lookup' || name === '$unionWith') &&
      spec &&
      typeof spec === 'object' &&
      Array.isArray((spec as Stage).pipeline)
    ) {
      return [{ [name]: { ...(spec as Stage), pipeline: rewriteStages((spec as Stage).pipeline as Stage[]) } }];
    }
    return [stage];
  });
}

export function compilePipeline(pipeline: Record<string, unknown>[], extra: Partial<Options> = {}): Aggregator {
  return new Aggregator(rewriteStages(pipeline), { ...mingoOptions, ...extra });
}
