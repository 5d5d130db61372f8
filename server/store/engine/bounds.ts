import { complement, encodeKey, prefixSuccessor, TypeTag, typeTagOf } from './key-encoding.js';

/** A half-open range of index key bytes: lo <= key < hi. */
export interface Interval {
  lo: Buffer;
  hi: Buffer;
}

export const KEY_SPACE_START = Buffer.alloc(0);
/** Above every encoded key: type tags and their complements never reach 0xFF. */
export const KEY_SPACE_END = Buffer.from([0xff]);

type RangeOp = '$gt' | '$gte' | '$lt' | '$lte';

/** Predicates on one field that an index can turn into key ranges. */
export interface FieldConstraint {
  equals?: unknown[];
  ranges: { op: RangeOp; value: unknown }[];
}

const BOUNDABLE_TAGS = new Set<number>([
  TypeTag.Number,
  TypeTag.String,
  TypeTag.ObjectId,
  TypeTag.Boolean,
  TypeTag.Date,
  TypeTag.Timestamp,
  TypeTag.Object,
]);

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (typeTagOf(value) !== TypeTag.Object || Array.isArray(value)) return false;
  const keys = Object.keys(value as object);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

export function isEqualityBoundable(value: unknown): boolean {
  if (value === null) return true;
  if (Number.isNaN(value)) return false;
  return BOUNDABLE_TAGS.has(typeTagOf(value)) && !isOperatorObject(value);
}

function isRangeBoundable(value: unknown): boolean {
  const tag = typeTagOf(value);
  return tag !== TypeTag.Object && BOUNDABLE_TAGS.has(tag) && !Number.isNaN(value);
}

function addConstraints(filter: Record<string, unknown>, out: Map<string, FieldConstraint>): void {
  for (const [path, condition] of Object.entries(filter)) {
    if (path === '$and' && Array.isArray(condition)) {
      for (const part of condition)
        if (part && typeof part === 'object') addConstraints(part as Record<string, unknown>, out);
      continue;
    }
    if (path.startsWith('$')) continue;
    const constraint = out.get(path) ?? { ranges: [] };
    if (!isOperatorObject(condition)) {
      if (isEqualityBoundable(condition)) constraint.equals = [condition];
    } else {
      for (const [op, operand] of Object.entries(condition)) {
        if (op === '$eq' && isEqualityBoundable(operand)) constraint.equals = [operand];
        else if (op === '$in' && Array.isArray(operand) && operand.every(isEqualityBoundable))
          constraint.equals = operand;
        else if ((op === '$gt' || op === '$gte' || op === '$lt' || op === '$lte') && isRangeBoundable(operand)) {
          constraint.ranges.push({ op, value: operand });
        }
      }
    }
    if (constraint.equals || constraint.ranges.length > 0) out.set(path, constraint);
  }
}

/** Equality, `$in` and range predicates on top-level paths (also inside `$and`). */
export function extractConstraints(filter: Record<string, unknown>): Map<string, FieldConstraint> {
  const out = new Map<string, FieldConstraint>();
  addConstraints(filter, out);
  return out;
}

interface Bound {
  bytes: Buffer;
  inclusive: boolean;
}

function maxBuffer(a: Buffer, b: Buffer): Buffer {
  return Buffer.compare(a, b) >= 0 ? a : b;
}

function minBuffer(a: Buffer, b: Buffer): Buffer {
  return Buffer.compare(a, b) <= 0 ? a : b;
}

/**
 * Key range of one ascending component for range predicates of a single type (MongoDB brackets
 * comparisons by type: `$gt: 5` never matches a string). On a multikey index only one predicate
 * may bound the scan: different array elements may satisfy different predicates.
 */
function ascendingRange(ranges: FieldConstraint['ranges'], multikey: boolean): { lo: Bound; hi: Bound } {
  const tag = typeTagOf(ranges[0]!.value);
  const sameType = ranges.filter((r) => typeTagOf(r.value) === tag);
  const used = multikey ? sameType.slice(0, 1) : sameType;
  let lo: Bound = { bytes: Buffer.from([tag]), inclusive: true };
  let hi: Bound = { bytes: Buffer.from([tag + 1]), inclusive: false };
  for (const { op, value } of used) {
    const bytes = encodeKey(value);
    if (op === '$gt' || op === '$gte') {
      const candidate = { bytes, inclusive: op === '$gte' };
      if (Buffer.compare(bytes, lo.bytes) > 0 || (Buffer.compare(bytes, lo.bytes) === 0 && !candidate.inclusive))
        lo = candidate;
    } else {
      const candidate = { bytes, inclusive: op === '$lte' };
      if (Buffer.compare(bytes, hi.bytes) < 0 || (Buffer.compare(bytes, hi.bytes) === 0 && !candidate.inclusive))
        hi = candidate;
    }
  }
  return { lo, hi };
}

/** Half-open [lo, hi) of component bytes for a range, in the component's stored direction. */
export function componentRange(ranges: FieldConstraint['ranges'], direction: 1 | -1, multikey: boolean): Interval {
  const { lo, hi } = ascendingRange(ranges, multikey);
  const successor = (b: Buffer) => prefixSuccessor(b) ?? KEY_SPACE_END;
  if (direction === 1) {
    return {
      lo: lo.inclusive ? lo.bytes : successor(lo.bytes),
      hi: hi.inclusive ? successor(hi.bytes) : hi.bytes,
    };
  }
  const flippedHi = complement(hi.bytes);
  const flippedLo = complement(lo.bytes);
  // An exclusive type-end bound [tag+1] complements to [~tag-1]: keys of the type start at [~tag].
  const isTypeEnd = hi.bytes.length === 1 && !hi.inclusive;
  const isTypeStart = lo.bytes.length === 1 && lo.inclusive;
  return {
    lo: isTypeEnd ? successor(flippedHi) : hi.inclusive ? flippedHi : successor(flippedHi),
    hi: isTypeStart ? successor(flippedLo) : lo.inclusive ? successor(flippedLo) : flippedLo,
  };
}

export function intersectIntervals(a: Interval, b: Interval): Interval {
  return { lo: maxBuffer(a.lo, b.lo), hi: minBuffer(a.hi, b.hi) };
}

export function pointInterval(prefix: Buffer): Interval {
  return { lo: prefix, hi: prefixSuccessor(prefix) ?? KEY_SPACE_END };
}

/** Sorted, non-overlapping intervals, so a scan in key order meets each key once. */
export function normalizeIntervals(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter((i) => Buffer.compare(i.lo, i.hi) < 0).sort((a, b) => Buffer.compare(a.lo, b.lo));
  const out: Interval[] = [];
  for (const interval of sorted) {
    const last = out[out.length - 1];
    if (last && Buffer.compare(interval.lo, last.hi) <= 0) last.hi = maxBuffer(last.hi, interval.hi);
    else out.push({ ...interval });
  }
  return out;
}
