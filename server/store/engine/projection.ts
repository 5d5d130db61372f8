import type { Document } from 'bson';
import { compileQuery } from './mingo-options.js';

type SliceArg = number | [number, number];

function isSliceSpec(value: unknown): value is { $slice: SliceArg } {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== '$slice') return false;
  const arg = (value as { $slice: unknown }).$slice;
  return typeof arg === 'number' || (Array.isArray(arg) && arg.length === 2 && arg.every((n) => typeof n === 'number'));
}

/** Whether a projection value makes the whole projection an inclusion (1, true, or an expression). */
function impliesInclusion(value: unknown): boolean {
  if (value && typeof value === 'object') return !isSliceSpec(value);
  return Boolean(value);
}

/**
 * find's `$slice` does not decide the projection type (MongoDB's computeProjectionType): with no
 * other inclusion and no `_id: 1`, `{arr: {$slice: 2}}` returns every field with `arr` sliced.
 * mingo treats `$slice` as an inclusion, so only that exclusion case is handled here.
 */
function slicesOfExclusion(projection: Document): Map<string, SliceArg> | undefined {
  const slices = new Map<string, SliceArg>();
  for (const [path, value] of Object.entries(projection)) {
    if (isSliceSpec(value)) slices.set(path, value.$slice);
    else if (path !== '_id' && impliesInclusion(value)) return undefined;
  }
  if (slices.size === 0 || (projection._id !== undefined && Boolean(projection._id))) return undefined;
  return slices;
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

/** Applies a find projection to one document (`filter` serves the positional `$` projection). */
export function projectDocument(doc: Document, projection: Document, filter: Document = {}): Document {
  const slices = slicesOfExclusion(projection);
  if (!slices) return compileQuery(filter).find([doc], projection).all()[0] as Document;
  const rest = Object.fromEntries(Object.entries(projection).filter(([path]) => !slices.has(path)));
  let projected: Document =
    Object.keys(rest).length > 0 ? (compileQuery(filter).find([doc], rest).all()[0] as Document) : doc;
  for (const [path, arg] of slices) projected = sliceAt(projected, path.split('.'), arg) as Document;
  return projected;
}
