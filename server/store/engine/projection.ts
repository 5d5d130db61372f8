import type { Document } from 'bson';
import type { Query } from 'mingo/query';
import { CommandError, ErrorCodes } from '../errors.js';
import { toDouble, TypeTag, typeTagOf } from './key-encoding.js';
import { compileQuery } from './mingo-options.js';
import { isPlainObject } from './key-encoding.js';
import { isExpressionName, validateExpression, validateFilter } from './query-validation.js';

type SliceArg = number | [number, number];

export type ProjectionType = 'inclusion' | 'exclusion';

/** A projection as MongoDB's parser sees it (projection_ast::parse). */
export interface ParsedProjection {
  type: ProjectionType;
  /** find's `$slice`, by full dotted path. */
  slices: Map<string, SliceArg>;
  /** find's `$elemMatch`, by top-level field. */
  elemMatches: Map<string, Document>;
  /** The fields a `0`/`false` removes, by full dotted path. */
  exclusions: Document;
}

interface ParseState extends Omit<ParsedProjection, 'type'> {
  /** find's projection, where `$slice` and `$elemMatch` are find's own operators. */
  find: boolean;
  type?: ProjectionType;
  hasMeta: boolean;
  idIncluded: boolean;
  idExcluded: boolean;
}

/** DBRef fields, which a projection may name like any field (`{ref: {$id: 1}}`). */
const DBREF_FIELDS = new Set(['$id', '$ref', '$db']);

function isFindSliceArg(arg: unknown): arg is SliceArg {
  return typeof arg === 'number' || (Array.isArray(arg) && arg.length === 2 && arg.every((n) => typeof n === 'number'));
}

function render(name: string, value: unknown): string {
  return `${name}: ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`;
}

/** Fixes the projection's type at its first inclusion or exclusion; a later opposite one fails. */
function setType(state: ParseState, type: ProjectionType, field: string): void {
  if (state.type === 'exclusion' && type === 'inclusion') {
    throw new CommandError(ErrorCodes.Location31253, `Cannot do inclusion on field ${field} in exclusion projection`);
  }
  if (state.type === 'inclusion' && type === 'exclusion') {
    throw new CommandError(ErrorCodes.Location31254, `Cannot do exclusion on field ${field} in inclusion projection`);
  }
  state.type = type;
}

/** `{field: {$op: ...}}`; false when `$op` names a DBRef field, so the object is a sub-projection. */
function parseOperator(state: ParseState, path: string, op: string, spec: Document): boolean {
  const arg = spec[op];
  if (state.find && op === '$slice' && isFindSliceArg(arg)) {
    state.slices.set(path, arg);
    return true;
  }
  if (op === '$elemMatch') {
    if (!state.find) {
      throw new CommandError(ErrorCodes.InvalidPipelineOperator, 'Cannot use $elemMatch in this context');
    }
    if (path.includes('.')) {
      throw new CommandError(ErrorCodes.Location31275, 'Cannot use $elemMatch projection on a nested field.');
    }
    validateFilter({ [path]: spec });
    state.elemMatches.set(path, spec);
    return true;
  }
  if (isExpressionName(op)) {
    // Any expression but $meta computes a field, which makes an inclusion.
    if (op !== '$meta' && state.type === 'exclusion') {
      throw new CommandError(
        ErrorCodes.Location31252,
        'Cannot use expression other than $meta in exclusion projection',
      );
    }
    if (op === '$meta') state.hasMeta = true;
    else state.type = 'inclusion';
    validateExpression(spec);
    return true;
  }
  if (DBREF_FIELDS.has(op)) return false;
  throw new CommandError(ErrorCodes.Location31325, `Unknown expression ${op}`);
}

function parseElement(state: ParseState, name: string, value: unknown, parentPath?: string): void {
  const path = parentPath === undefined ? name : `${parentPath}.${name}`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0]!.startsWith('$') && parseOperator(state, path, keys[0]!, value)) return;
    for (const [key, inner] of Object.entries(value)) parseElement(state, key, inner, path);
    return;
  }
  if (typeof value === 'boolean' || typeTagOf(value) === TypeTag.Number) {
    // BSON's truth of a number: anything but zero (NaN included).
    const included = typeof value === 'boolean' ? value : toDouble(value) !== 0;
    if (!included) state.exclusions[path] = 0;
    // A top-level _id goes with either type.
    if (parentPath === undefined && name === '_id') {
      if (included) state.idIncluded = true;
      else state.idExcluded = true;
      return;
    }
    setType(state, included ? 'inclusion' : 'exclusion', name);
    return;
  }
  // Any other value is a literal to set, which makes an inclusion.
  if (state.type === 'exclusion') {
    throw new CommandError(
      ErrorCodes.Location31310,
      `Cannot use an expression ${render(name, value)} in an exclusion projection`,
    );
  }
  state.type = 'inclusion';
}

/** MongoDB's computeProjectionType: the type of a projection with no plain inclusion or exclusion. */
function defaultType(state: ParseState): ProjectionType {
  if (state.slices.size > 0) return state.idIncluded ? 'inclusion' : 'exclusion';
  if (state.elemMatches.size > 0) return 'inclusion';
  if (state.hasMeta && !state.find) return 'inclusion';
  if (state.hasMeta) return state.idIncluded && !state.idExcluded ? 'inclusion' : 'exclusion';
  return state.idIncluded ? 'inclusion' : 'exclusion';
}

/**
 * Parses a projection (`find: true` for find's, with its `$slice`/`$elemMatch`; false for
 * `$project`'s), throwing MongoDB's errors: inclusion mixed with exclusion, an unknown operator.
 */
export function parseProjection(projection: Document, policy: { find: boolean }): ParsedProjection {
  const state: ParseState = {
    find: policy.find,
    slices: new Map(),
    elemMatches: new Map(),
    exclusions: {},
    hasMeta: false,
    idIncluded: false,
    idExcluded: false,
  };
  for (const [name, value] of Object.entries(projection)) parseElement(state, name, value);
  const { slices, elemMatches, exclusions } = state;
  return { type: state.type ?? defaultType(state), slices, elemMatches, exclusions };
}

function sliceArray(array: unknown[], arg: SliceArg): unknown[] {
  if (typeof arg === 'number') return arg >= 0 ? array.slice(0, arg) : array.slice(Math.max(array.length + arg, 0));
  const [skip, limit] = arg;
  const start = skip >= 0 ? skip : Math.max(array.length + skip, 0);
  return array.slice(start, start + limit);
}

/** A copy of `node` with the array at `parts` sliced, descending through arrays of documents. */
function sliceAt(node: unknown, parts: string[], arg: SliceArg): unknown {
  if (parts.length === 0) return Array.isArray(node) ? sliceArray(node, arg) : node;
  if (Array.isArray(node)) return node.map((element) => sliceAt(element, parts, arg));
  if (!node || typeof node !== 'object' || (node as { _bsontype?: string })._bsontype || node instanceof Date)
    return node;
  const [head, ...rest] = parts as [string, ...string[]];
  if (!(head in node)) return node;
  return { ...(node as Document), [head]: sliceAt((node as Document)[head], rest, arg) };
}

/**
 * An exclusion projection keeps every field it does not remove; its `$elemMatch` fields hold the
 * first matching element of the original array (or go when none matches), then `$slice` applies.
 * mingo treats `$slice` and `$elemMatch` as inclusions, so only the removals are left to it.
 */
function applyExclusion(doc: Document, parsed: ParsedProjection): Document {
  let projected: Document =
    Object.keys(parsed.exclusions).length > 0
      ? (compileQuery({}).find([doc], parsed.exclusions).all()[0] as Document)
      : { ...doc };
  for (const [field, spec] of parsed.elemMatches) {
    const picked = compileQuery({})
      .find([doc], { _id: 0, [field]: spec })
      .all()[0] as Document;
    if (field in picked) projected[field] = picked[field];
    else delete projected[field];
  }
  for (const [path, arg] of parsed.slices) projected = sliceAt(projected, path.split('.'), arg) as Document;
  return projected;
}

/**
 * Compiles a find projection (`filter` serves the positional `$` projection), throwing MongoDB's
 * parse errors before any document is read.
 */
export function compileProjection(projection: Document, filter: Document = {}): (doc: Document) => Document {
  const parsed = parseProjection(projection, { find: true });
  if (parsed.type === 'exclusion') return (doc) => applyExclusion(doc, parsed);
  const topLevel = topLevelInclusion(projection);
  if (topLevel) return topLevel;
  // Only the positional `$` needs the filter (which array element matched); testing it again on
  // every document costs as much as the find itself (an `$in` of 1,000 ids: a thousand comparisons each).
  const positional = Object.keys(projection).some((name) => name === '$' || name.endsWith('.$'));
  // Compiled on first use: a filter with a mistake fails where MongoDB reports it, in the query.
  let query: Query | undefined;
  return (doc) => {
    query ??= compileQuery(positional ? filter : {});
    return query.find([doc], projection).all()[0] as Document;
  };
}

/**
 * The commonest projection, top-level fields picked (`{ name: 1, phones: 1 }`, `_id` in or out),
 * done by copying them rather than through mingo, which costs more per document than the read.
 */
function topLevelInclusion(projection: Document): ((doc: Document) => Document) | undefined {
  const fields: string[] = [];
  let withId = true;
  for (const [name, value] of Object.entries(projection)) {
    const included = value === 1 || value === true;
    const excluded = value === 0 || value === false;
    if (name === '_id' && (included || excluded)) {
      withId = included;
      continue;
    }
    if (!included || name.includes('.') || name.startsWith('$')) return undefined;
    fields.push(name);
  }
  if (fields.length === 0 && !withId) return undefined;
  const wanted = new Set(withId ? ['_id', ...fields] : fields);
  // In the document's own order, as MongoDB returns them.
  return (doc) => {
    const projected: Document = {};
    for (const name of Object.keys(doc)) if (wanted.has(name)) projected[name] = doc[name];
    return projected;
  };
}
