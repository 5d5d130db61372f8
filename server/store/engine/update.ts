import { Long, ObjectId, Timestamp, type Document } from 'bson';
import { update as mingoUpdate } from 'mingo/updater';
import { CommandError, ErrorCodes } from '../errors.js';
import { encodeKey, TypeTag, typeTagOf } from './key-encoding.js';
import { compilePipeline, mingoUpdateOptions } from './mingo-options.js';
import { validatePipeline } from './pipeline-validation.js';
import { assertUpdateApplies } from './update-checks.js';

const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$rename',
  '$min',
  '$max',
  '$currentDate',
  '$addToSet',
  '$pop',
  '$pull',
  '$push',
  '$pullAll',
  '$bit',
  '$setOnInsert',
]);

const PIPELINE_UPDATE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

export type UpdateSpec = Document | Document[];

export function isOperatorUpdate(update: UpdateSpec): boolean {
  return !Array.isArray(update) && Object.keys(update).some((k) => k.startsWith('$'));
}

/** Copies arrays and plain objects; BSON values (ObjectId, Binary...) are immutable and shared. */
function cloneDoc<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneDoc) as T;
  if (value && typeof value === 'object' && typeTagOf(value) === TypeTag.Object) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneDoc(v);
    return out as T;
  }
  return value;
}

/** Checks an update document the way MongoDB's parser does, before touching any document. */
export function validateUpdate(update: unknown): void {
  if (Array.isArray(update)) {
    for (const stage of update) {
      const name = stage && typeof stage === 'object' ? Object.keys(stage)[0] : undefined;
      if (!name || !PIPELINE_UPDATE_STAGES.has(name)) {
        throw new CommandError(ErrorCodes.InvalidOptions, `${String(name)} is not allowed to be used within an update`);
      }
    }
    validatePipeline(update as Document[]);
    return;
  }
  if (!update || typeof update !== 'object') {
    throw new CommandError(ErrorCodes.FailedToParse, 'Update argument must be either an object or an array');
  }
  const keys = Object.keys(update);
  const operators = keys.filter((k) => k.startsWith('$'));
  if (operators.length === 0) {
    return;
  }
  if (operators.length !== keys.length) {
    throw new CommandError(
      ErrorCodes.FailedToParse,
      `Unknown modifier: ${keys.find((k) => !k.startsWith('$'))}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  }
  const paths: string[] = [];
  for (const op of operators) {
    if (!UPDATE_OPERATORS.has(op)) {
      throw new CommandError(
        ErrorCodes.FailedToParse,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    const args = (update as Record<string, unknown>)[op];
    if (!args || typeof args !== 'object' || Array.isArray(args)) {
      throw new CommandError(
        ErrorCodes.FailedToParse,
        `Modifiers operate on fields but we found type ${Array.isArray(args) ? 'array' : typeof args} instead. For example: {$mod: {<field>: ...}} not {${op}: ${JSON.stringify(args)}}`,
      );
    }
    for (const [path, value] of Object.entries(args)) {
      if ((op === '$inc' || op === '$mul') && typeTagOf(value) !== TypeTag.Number) {
        throw new CommandError(
          ErrorCodes.TypeMismatch,
          `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${JSON.stringify(value)}}`,
        );
      }
      if (op === '$rename') validateRename(path, value);
      paths.push(path);
      if (op === '$rename') paths.push(String(value));
    }
  }
  assertNoConflicts(paths);
}

const isDynamicPart = (part: string) => part === '$' || /^\$\[.*\]$/.test(part);

/** `$rename`'s own rules (RenameNode::init), checked before the paths' conflicts. */
function validateRename(from: string, to: unknown): void {
  const spec = `${from}: ${typeof to === 'string' ? JSON.stringify(to) : String(to)}`;
  if (typeof to !== 'string') {
    throw new CommandError(ErrorCodes.BadValue, `The 'to' field for $rename must be a string: ${spec}`);
  }
  if (from === to) {
    throw new CommandError(ErrorCodes.BadValue, `The source and target field for $rename must differ: ${spec}`);
  }
  if (to.startsWith(`${from}.`) || from.startsWith(`${to}.`)) {
    throw new CommandError(
      ErrorCodes.BadValue,
      `The source and target field for $rename must not be on the same path: ${spec}`,
    );
  }
  if (from.split('.').some(isDynamicPart)) {
    throw new CommandError(ErrorCodes.BadValue, `The source field for $rename may not be dynamic: ${from}`);
  }
  if (to.split('.').some(isDynamicPart)) {
    throw new CommandError(ErrorCodes.BadValue, `The destination field for $rename may not be dynamic: ${to}`);
  }
}

function assertNoConflicts(paths: string[]): void {
  const stripped = paths.map((p) =>
    p
      .split('.')
      .filter((part) => !part.startsWith('$'))
      .join('.'),
  );
  for (let i = 0; i < stripped.length; i++) {
    for (let j = i + 1; j < stripped.length; j++) {
      const a = stripped[i]!;
      const b = stripped[j]!;
      if (a === b || b.startsWith(`${a}.`) || a.startsWith(`${b}.`)) {
        const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
        throw new CommandError(
          ErrorCodes.ConflictingUpdateOperators,
          `Updating the path '${longer}' would create a conflict at '${shorter}'`,
        );
      }
    }
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return Buffer.compare(encodeKey(a), encodeKey(b)) === 0;
}

function assertIdUnchanged(before: Record<string, unknown>, after: Record<string, unknown>): void {
  if (!sameValue(before._id, after._id)) {
    throw new CommandError(
      ErrorCodes.ImmutableField,
      `Performing an update on the path '_id' would modify the immutable field '_id'`,
    );
  }
}

function wrapMingoError(error: unknown): never {
  if (error instanceof CommandError) throw error;
  const message = error instanceof Error ? error.message : String(error);
  if (/would modify the immutable field '_id'/.test(message)) {
    throw new CommandError(ErrorCodes.ImmutableField, message.replace(/\.$/, ''));
  }
  if (message.startsWith("You must include the array field for '.$'")) {
    throw new CommandError(
      ErrorCodes.BadValue,
      'The positional operator did not find the match needed from the query.',
    );
  }
  throw new CommandError(ErrorCodes.BadValue, message);
}

/** Whether an update names a path through the positional `$` (not `$[]` nor `$[name]`). */
function usesPositional(operators: Document): boolean {
  return Object.values(operators).some(
    (fields) =>
      !!fields &&
      typeof fields === 'object' &&
      Object.keys(fields as Document).some((path) => path.split('.').includes('$')),
  );
}

/**
 * Takes `_id` out of `$set`: mingo refuses any update naming `_id`, where MongoDB accepts one
 * that keeps its value, and one that gives an upserted document its `_id`.
 */
function takeIdAssignment(operators: Document): { value: unknown } | undefined {
  const set = operators.$set as Document | undefined;
  if (!set || !('_id' in set)) return undefined;
  const { _id: value, ...rest } = set;
  if (Object.keys(rest).length > 0) operators.$set = rest;
  else delete operators.$set;
  return { value };
}

/**
 * Applies an update (operators, replacement or pipeline) to a copy of `doc`.
 * `inserting` makes `$setOnInsert` count (upserts).
 */
export function applyUpdate(
  doc: Record<string, unknown>,
  update: UpdateSpec,
  options: { arrayFilters?: Document[]; query?: Document; inserting?: boolean },
): Record<string, unknown> {
  if (Array.isArray(update)) {
    let result: Record<string, unknown>;
    try {
      result = compilePipeline(update).run([cloneDoc(doc)])[0] as Record<string, unknown>;
    } catch (error) {
      wrapMingoError(error);
    }
    if (result._id === undefined) result = { _id: doc._id, ...result };
    assertIdUnchanged(doc, result);
    return result;
  }
  if (!isOperatorUpdate(update)) {
    update = update as Document;
    if (update._id !== undefined && doc._id !== undefined && !sameValue(update._id, doc._id)) {
      throw new CommandError(
        ErrorCodes.ImmutableField,
        `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${String(update._id)}`,
      );
    }
    const { _id: _ignored, ...rest } = update;
    return { _id: doc._id ?? update._id ?? new ObjectId(), ...rest };
  }
  const { $setOnInsert, $currentDate, ...operators } = update as Document;
  if (options.inserting && $setOnInsert) {
    operators.$set = { ...(operators.$set as Document | undefined), ...($setOnInsert as Document) };
  }
  if ($currentDate)
    operators.$set = { ...(operators.$set as Document | undefined), ...currentDateValues($currentDate as Document) };
  const idAssignment = takeIdAssignment(operators);
  assertUpdateApplies(doc, operators);
  const next = cloneDoc(doc);
  try {
    // mingo applies an update only to a document matching `query`, which it needs for the
    // positional `$` alone: the document matched already, and compiling the query again for each
    // update is most of what a small one costs. An upsert's new document need not match it.
    if (Object.keys(operators).length > 0) {
      const condition = !options.inserting && usesPositional(operators) ? options.query : undefined;
      mingoUpdate(next, operators, options.arrayFilters, condition, {
        cloneMode: 'deep',
        queryOptions: mingoUpdateOptions,
      });
    }
  } catch (error) {
    wrapMingoError(error);
  }
  promoteIntegerResults(doc, next, operators);
  if (idAssignment && (options.inserting || doc._id === undefined)) next._id = idAssignment.value;
  else if (idAssignment) assertIdUnchanged(doc, { _id: idAssignment.value });
  if (doc._id !== undefined) assertIdUnchanged(doc, next);
  return next;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function isInt32(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX;
}

/**
 * The integer type of a field's value before `$inc`/`$mul` (a missing field counts as an int 0),
 * or undefined for a double. Decoding turns int64 values into JS numbers, so an integral number
 * outside int32 range counts as the long that integer arithmetic would have made it.
 */
function integerTypeOf(value: unknown): 'int' | 'long' | undefined {
  if (value === undefined || isInt32(value)) return 'int';
  return Number.isSafeInteger(value) || value instanceof Long ? 'long' : undefined;
}

type Visit = (container: Record<string, unknown>, key: string, before: unknown) => void;

/** Visits each place `parts` reaches in `after`, with the value there in `before`; `$`, `$[]` and `$[id]` reach every element. */
function forEachTarget(after: unknown, before: unknown, parts: string[], visit: Visit): void {
  if (!after || typeof after !== 'object') return;
  const [part, ...rest] = parts as [string, ...string[]];
  const container = after as Record<string, unknown>;
  const keys = !part.startsWith('$') ? [part] : Array.isArray(after) ? after.map((_, i) => String(i)) : [];
  for (const key of keys) {
    const old = before && typeof before === 'object' ? (before as Record<string, unknown>)[key] : undefined;
    if (rest.length === 0) visit(container, key, old);
    else forEachTarget(container[key], old, rest, visit);
  }
}

/**
 * MongoDB's `$inc` and `$mul` on integers give a long when an operand is a long or the result
 * leaves int32 range. mingo computes a JS number, which `bson` would write as an int32 or, outside
 * int32 range, as a double; so such a result becomes a Long. An argument outside int32 range is a
 * double, as drivers send such JS numbers. Values the update left alone keep their number.
 */
function promoteIntegerResults(before: Record<string, unknown>, after: Record<string, unknown>, operators: Document) {
  for (const op of ['$inc', '$mul']) {
    const args = operators[op] as Document | undefined;
    for (const [path, arg] of Object.entries(args ?? {})) {
      if (!isInt32(arg) && !(arg instanceof Long)) continue;
      forEachTarget(after, before, path.split('.'), (container, key, old) => {
        const value = container[key];
        if (typeof value !== 'number' || value === old || !Number.isSafeInteger(value)) return;
        const type = integerTypeOf(old);
        if (type === undefined) return;
        if (type === 'long' || arg instanceof Long || !isInt32(value)) container[key] = Long.fromNumber(value);
      });
    }
  }
}

let lastTimestampSecond = 0;
let timestampIncrement = 0;

/** A Timestamp as MongoDB generates one: seconds, and an increment that orders those of a second. */
function nextTimestamp(now: number): Timestamp {
  const second = Math.floor(now / 1000);
  timestampIncrement = second === lastTimestampSecond ? timestampIncrement + 1 : 1;
  lastTimestampSecond = second;
  return new Timestamp({ t: second, i: timestampIncrement });
}

/**
 * `$currentDate` as `$set` values: mingo writes a number for `{$type: 'timestamp'}`, where
 * MongoDB writes a BSON Timestamp.
 */
function currentDateValues(spec: Document): Document {
  const now = Date.now();
  const values: Document = {};
  for (const [path, type] of Object.entries(spec)) {
    // Any boolean means a date, as in MongoDB's CurrentDateNode.
    const wanted = typeof type === 'boolean' ? 'date' : (type as { $type?: unknown } | null)?.$type;
    if (wanted !== 'date' && wanted !== 'timestamp') {
      throw new CommandError(
        ErrorCodes.BadValue,
        `The '$type' string field is required to be 'date' or 'timestamp': {$currentDate: {field : {$type: 'date'}}}`,
      );
    }
    values[path] = wanted === 'date' ? new Date(now) : nextTimestamp(now);
  }
  return values;
}

/** The document an upsert starts from: the equality fields of its query (MongoDB's rules). */
export function upsertSeed(query: Document): Record<string, unknown> {
  const seed: Record<string, unknown> = {};
  const visit = (filter: Document) => {
    for (const [path, condition] of Object.entries(filter)) {
      if (path === '$and' && Array.isArray(condition)) {
        condition.forEach((part) => visit(part as Document));
        continue;
      }
      if (path.startsWith('$')) continue;
      const isOperatorDoc =
        condition && typeTagOf(condition) === TypeTag.Object && Object.keys(condition).some((k) => k.startsWith('$'));
      if (!isOperatorDoc) setPath(seed, path, condition);
      else if ('$eq' in (condition as Document)) setPath(seed, path, (condition as Document).$eq);
    }
  };
  visit(query);
  return seed;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!node[part] || typeof node[part] !== 'object') node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}
