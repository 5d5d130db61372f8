import { CommandError, ErrorCodes } from '../errors.js';
import type { Collection } from './collection.js';
import {
  componentRange,
  extractConstraints,
  type FieldConstraint,
  type Interval,
  KEY_SPACE_END,
  KEY_SPACE_START,
  normalizeIntervals,
  pointInterval,
} from './bounds.js';
import type { IndexHandle } from './index-handle.js';
import { complement, encodeKey } from './key-encoding.js';
import { countIndexEntries } from './scan.js';

export type SortSpec = [path: string, direction: 1 | -1][];

export type Plan =
  | { type: 'collscan'; direction: 1 | -1; providesSort: boolean }
  | { type: 'ixscan'; index: IndexHandle; intervals: Interval[]; direction: 1 | -1; providesSort: boolean }
  /** An `$or` read as the union of one index scan per branch, each document once. */
  | { type: 'or'; branches: Plan[]; providesSort: false };

/**
 * Index intervals one scan may carry: an `$in` of many ids (a report's contacts, a batch's
 * conversations) is still read by index, one point each, as MongoDB does. The bound only stops
 * the product of several `$in`s on a compound index from growing without end.
 */
const MAX_INTERVALS = 200_000;
/** `$or` branches planned one by one: each is a planning pass of its own. */
const MAX_OR_BRANCHES = 1000;
/**
 * Index entries counted per candidate when several indexes could serve a query: enough to tell
 * a period's few thousand deals from a pipeline's hundred thousand, cheap next to reading either.
 */
const COUNT_CAP = 50_000;

interface Candidate {
  index: IndexHandle;
  intervals: Interval[];
  equalityFields: number;
  usedRange: boolean;
  singlePrefix: boolean;
}

function boundsFor(index: IndexHandle, constraints: Map<string, FieldConstraint>): Candidate | undefined {
  let prefixes: Buffer[] = [KEY_SPACE_START];
  let equalityFields = 0;
  let rangeIntervals: Interval[] | undefined;
  for (const field of index.fields) {
    const constraint = constraints.get(field.path);
    if (!constraint) break;
    if (constraint.equals) {
      if (index.sparse && constraint.equals.some((v) => v === null)) return undefined;
      const parts = constraint.equals.map((v) => (field.direction === 1 ? encodeKey(v) : complement(encodeKey(v))));
      if (prefixes.length * parts.length > MAX_INTERVALS) break;
      prefixes = prefixes.flatMap((p) => parts.map((part) => Buffer.concat([p, part])));
      equalityFields++;
      continue;
    }
    const range = componentRange(constraint.ranges, field.direction, index.multikey);
    rangeIntervals = prefixes.map((p) => ({ lo: Buffer.concat([p, range.lo]), hi: Buffer.concat([p, range.hi]) }));
    break;
  }
  if (equalityFields === 0 && !rangeIntervals) return undefined;
  return {
    index,
    intervals: normalizeIntervals(rangeIntervals ?? prefixes.map(pointInterval)),
    equalityFields,
    usedRange: rangeIntervals !== undefined,
    singlePrefix: prefixes.length === 1,
  };
}

/** Whether scanning the index after its equality prefix yields documents in `sort` order. */
function sortDirection(
  index: IndexHandle,
  equalityFields: number,
  sort: SortSpec,
  constraints: Map<string, FieldConstraint>,
): 1 | -1 | undefined {
  if (index.multikey) return undefined;
  const remaining = sort.filter(([path]) => !(constraints.get(path)?.equals?.length === 1));
  if (remaining.length === 0) return 1;
  const tail = index.fields.slice(equalityFields);
  if (remaining.length > tail.length) return undefined;
  const forward = remaining.every(([path, dir], i) => tail[i]!.path === path && tail[i]!.direction === dir);
  if (forward) return 1;
  const backward = remaining.every(([path, dir], i) => tail[i]!.path === path && tail[i]!.direction === -dir);
  return backward ? -1 : undefined;
}

/**
 * A partial index may serve a query only when the query implies its filter: each of the filter's
 * fields is pinned by the query (also inside `$and`) to values the filter accepts.
 */
function impliesPartialFilter(index: IndexHandle, constraints: Map<string, FieldConstraint>): boolean {
  const expression = index.spec.partialFilterExpression;
  if (!expression) return true;
  return Object.entries(expression).every(([path, wanted]) => {
    const constraint = constraints.get(path);
    if (!constraint) return false;
    const conditions = isOperatorCondition(wanted) ? Object.entries(wanted) : [['$eq', wanted] as const];
    return conditions.every(([op, operand]) => constraintImplies(constraint, op, operand));
  });
}

function isOperatorCondition(value: unknown): value is Record<string, unknown> {
  return (
    !!value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).every((k) => k.startsWith('$'))
  );
}

const TYPE_TESTS: Record<string, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string',
  number: (value) => typeof value === 'number',
  double: (value) => typeof value === 'number',
  bool: (value) => typeof value === 'boolean',
  date: (value) => value instanceof Date,
};

function constraintImplies(constraint: FieldConstraint, op: string, operand: unknown): boolean {
  const { equals } = constraint;
  switch (op) {
    case '$eq':
      return !!equals?.length && equals.every((v) => Buffer.compare(encodeKey(v), encodeKey(operand)) === 0);
    case '$exists':
      // Any equality but null, or any range, needs the field to be there.
      return operand === true && (equals ? !equals.includes(null) : constraint.ranges.length > 0);
    case '$type': {
      const test = typeof operand === 'string' ? TYPE_TESTS[operand] : undefined;
      return !!test && !!equals?.length && equals.every(test);
    }
    default:
      return false;
  }
}

function resolveHint(collection: Collection, hint: unknown): IndexHandle | 'natural' | undefined {
  if (hint === undefined || hint === null) return undefined;
  if (typeof hint === 'string') {
    const index = collection.index(hint);
    if (!index) throw new CommandError(ErrorCodes.BadValue, 'hint provided does not correspond to an existing index');
    return index;
  }
  if (typeof hint === 'object' && '$natural' in hint) return 'natural';
  const wanted = JSON.stringify(hint);
  const index = collection.indexes.find((ix) => JSON.stringify(ix.spec.key) === wanted);
  if (!index) throw new CommandError(ErrorCodes.BadValue, 'hint provided does not correspond to an existing index');
  return index;
}

function fullIndexScan(index: IndexHandle, direction: 1 | -1, providesSort: boolean): Plan {
  return { type: 'ixscan', index, intervals: [{ lo: KEY_SPACE_START, hi: KEY_SPACE_END }], direction, providesSort };
}

/** Picks how to read a collection for a filter and sort: the best index, or a collection scan. */
export function planQuery(
  collection: Collection,
  filter: Record<string, unknown>,
  sort: SortSpec,
  hint?: unknown,
): Plan {
  const naturalSort = sort.length === 1 && sort[0]![0] === '$natural' ? sort[0]![1] : undefined;
  const hinted = resolveHint(collection, hint);
  if (hinted === 'natural' || naturalSort !== undefined) {
    const direction = naturalSort ?? ((hint as { $natural: number }).$natural < 0 ? -1 : 1);
    return { type: 'collscan', direction, providesSort: naturalSort !== undefined || sort.length === 0 };
  }
  const best = bestIndexPlan(collection, filter, sort, hinted);
  if (!hinted) {
    const union = unionPlan(collection, filter);
    if (union && (!best || union.score > best.score)) return union.plan;
  }
  return best?.plan ?? { type: 'collscan', direction: 1, providesSort: sort.length === 0 };
}

interface ScoredPlan {
  plan: Plan;
  score: number;
}

function bestIndexPlan(
  collection: Collection,
  filter: Record<string, unknown>,
  sort: SortSpec,
  hinted: IndexHandle | undefined,
): ScoredPlan | undefined {
  const constraints = extractConstraints(filter);
  const usable = hinted ? [hinted] : collection.indexes.filter((ix) => impliesPartialFilter(ix, constraints));
  const candidates: ScoredPlan[] = [];
  for (const index of usable) {
    const candidate = boundsFor(index, constraints);
    const equalityFields = candidate?.equalityFields ?? 0;
    const direction =
      candidate && !candidate.singlePrefix ? undefined : sortDirection(index, equalityFields, sort, constraints);
    let plan: Plan | undefined;
    let score = 0;
    if (candidate) {
      plan = {
        type: 'ixscan',
        index,
        intervals: candidate.intervals,
        direction: direction ?? 1,
        providesSort: direction !== undefined,
      };
      score = equalityFields * 10 + (candidate.usedRange ? 5 : 0) + (direction !== undefined ? 3 : 0);
      if (index.unique && equalityFields === index.fields.length) score += 100;
    } else if (sort.length > 0 && direction !== undefined && (index.complete || hinted)) {
      plan = fullIndexScan(index, direction, true);
      score = 2;
    } else if (hinted) {
      plan = fullIndexScan(index, 1, false);
    }
    if (!plan) continue;
    score -= index.fields.length * 0.01;
    candidates.push({ plan, score });
  }
  candidates.sort((a, b) => b.score - a.score);
  return fewestEntries(collection, candidates, filter, sort);
}

/**
 * Of several indexes that bound a query, the one whose bounds hold the fewest entries (MongoDB
 * races the candidate plans; counting their index entries is the same question asked of the
 * index alone): an equality on a pipeline loses to a range over a month when the pipeline holds
 * most deals. The shape-based score decides ties, a unique match, and sorted reads, where a plan
 * that gives the order may stop early at the limit.
 */
function fewestEntries(
  collection: Collection,
  ranked: ScoredPlan[],
  filter: Record<string, unknown>,
  sort: SortSpec,
): ScoredPlan | undefined {
  const [first] = ranked;
  if (!first || ranked.length === 1 || first.score >= 100 || sort.length > 0) return first;
  // Counting costs up to COUNT_CAP index reads: done once per query shape, then reused for a
  // while (MongoDB's plan cache), so a query repeated per message or per batch does not pay it.
  const shape = shapeOf(filter);
  let cache = planCaches.get(collection);
  if (!cache) planCaches.set(collection, (cache = new Map()));
  const cached = cache.get(shape);
  if (cached && cached.uses < CACHE_USES) {
    const chosen = ranked.find((candidate) => indexNameOf(candidate.plan) === cached.index);
    if (chosen) {
      cached.uses += 1;
      return chosen;
    }
  }
  let best = first;
  let bestCount = entriesOf(collection, first.plan, COUNT_CAP);
  for (const other of ranked.slice(1)) {
    if (bestCount === 0) break;
    const count = entriesOf(collection, other.plan, bestCount);
    if (count < bestCount) {
      best = other;
      bestCount = count;
    }
  }
  cache.set(shape, { index: indexNameOf(best.plan), uses: 0 });
  return best;
}

interface CachedChoice {
  index: string | undefined;
  uses: number;
}

/** A choice is counted again after this many uses: the data it was made on changes. */
const CACHE_USES = 200;
const planCaches = new WeakMap<Collection, Map<string, CachedChoice>>();

function indexNameOf(plan: Plan): string | undefined {
  return plan.type === 'ixscan' ? plan.index.name : undefined;
}

/** A filter with its values replaced by their types: the queries one cached choice serves. */
function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return `[${value.length > 8 ? 'n' : value.map(shapeOf).join(',')}]`;
  if (value && typeof value === 'object' && value.constructor === Object) {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([key, inner]) => `${key}:${shapeOf(inner)}`).join(',')}}`;
  }
  return typeof value;
}

function entriesOf(collection: Collection, plan: Plan, cap: number): number {
  return plan.type === 'ixscan' ? countIndexEntries(collection, plan.index, plan.intervals, cap) : cap;
}

/**
 * A top-level `$or` whose every branch (with the rest of the filter) has a bounded index scan is
 * read as the union of those scans; one unindexed branch means reading everything anyway. Scored
 * by its weakest branch, so a single index that narrows more still wins.
 */
function unionPlan(collection: Collection, filter: Record<string, unknown>): ScoredPlan | undefined {
  const branches = filter.$or;
  if (!Array.isArray(branches) || branches.length === 0 || branches.length > MAX_OR_BRANCHES) return undefined;
  const { $or: _or, ...rest } = filter;
  const plans: ScoredPlan[] = [];
  for (const branch of branches) {
    if (!branch || typeof branch !== 'object' || Array.isArray(branch)) return undefined;
    const narrowed = { $and: [rest, branch as Record<string, unknown>] };
    const best = bestIndexPlan(collection, narrowed, [], undefined);
    const union = unionPlan(collection, branch as Record<string, unknown>);
    const chosen = union && (!best || union.score > best.score) ? union : best;
    if (!chosen) return undefined;
    plans.push(chosen);
  }
  return {
    plan: { type: 'or', branches: plans.map(({ plan }) => plan), providesSort: false },
    score: Math.min(...plans.map(({ score }) => score)),
  };
}
