import { DATE_EXPRESSION_PATTERN, type Condition, type ConditionLeaf } from '../schema/condition-schema.js';
import { addDuration } from './duration.js';
import { isSet, resolvePath, type Scope } from './resolve-path.js';
import { fromLocal, toLocal } from './zoned-time.js';

export interface ConditionContext {
  now: Date;
  timeZone: string;
}

export function evaluateCondition(condition: Condition, scope: Scope, context: ConditionContext): boolean {
  if ('all' in condition) return condition.all.every((child) => evaluateCondition(child, scope, context));
  if ('any' in condition) return condition.any.some((child) => evaluateCondition(child, scope, context));
  if ('not' in condition) return !evaluateCondition(condition.not, scope, context);
  return evaluateLeaf(condition, resolvePath(scope, condition.path), context);
}

function evaluateLeaf(leaf: ConditionLeaf, actual: unknown, context: ConditionContext): boolean {
  const expected = leaf.value;
  switch (leaf.op) {
    case 'eq':
      return looselyEqual(actual, expected);
    case 'ne':
      return !looselyEqual(actual, expected);
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return compare(leaf.op, actual, expected);
    case 'contains':
      return contains(actual, expected);
    case 'notContains':
      return !contains(actual, expected);
    case 'in':
      return isIn(actual, expected);
    case 'notIn':
      return !isIn(actual, expected);
    case 'set':
      return isSet(actual);
    case 'empty':
      return !isSet(actual);
    case 'regex':
      return typeof expected === 'string' && isSet(actual) && new RegExp(expected, 'iu').test(String(actual));
    case 'before':
    case 'after': {
      const at = toTime(actual);
      const bound = typeof expected === 'string' ? resolveDateExpression(expected, context) : undefined;
      if (at === undefined || bound === undefined) return false;
      return leaf.op === 'before' ? at < bound : at > bound;
    }
    case 'within': {
      const at = toTime(actual);
      if (at === undefined || expected === null || typeof expected !== 'object' || Array.isArray(expected))
        return false;
      const now = context.now.getTime();
      if (expected.past)
        return at <= now && at >= addDuration(context.now, expected.past, context.timeZone, -1).getTime();
      if (expected.next) return at >= now && at <= addDuration(context.now, expected.next, context.timeZone).getTime();
      return false;
    }
  }
}

/** Text, numbers and yes/no compare by their text form ("5" = 5); missing equals null. */
export function looselyEqual(actual: unknown, expected: unknown): boolean {
  const a = actual ?? null;
  const b = expected ?? null;
  if (a === null || b === null) return a === b;
  if (typeof a === 'object' || typeof b === 'object') return false;
  return String(a) === String(b);
}

function compare(op: 'lt' | 'lte' | 'gt' | 'gte', actual: unknown, expected: unknown): boolean {
  const pair = toNumbers(actual, expected);
  if (!pair) return false;
  const [a, b] = pair;
  if (op === 'lt') return a < b;
  if (op === 'lte') return a <= b;
  if (op === 'gt') return a > b;
  return a >= b;
}

/** Numbers when both are numbers (or numeric text), else times when both are dates. */
function toNumbers(actual: unknown, expected: unknown): [number, number] | undefined {
  const a = toNumber(actual);
  const b = toNumber(expected);
  if (a !== undefined && b !== undefined) return [a, b];
  const ta = toTime(actual);
  const tb = toTime(expected);
  return ta !== undefined && tb !== undefined ? [ta, tb] : undefined;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

function toTime(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

function contains(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(actual)) return actual.some((item) => looselyEqual(item, expected));
  if (typeof actual === 'string' && expected !== null && expected !== undefined)
    return actual.toLocaleLowerCase().includes(String(expected).toLocaleLowerCase());
  return false;
}

function isIn(actual: unknown, expected: unknown): boolean {
  if (!Array.isArray(expected)) return false;
  if (Array.isArray(actual)) return actual.some((item) => expected.some((option) => looselyEqual(item, option)));
  return expected.some((option) => looselyEqual(actual, option));
}

/** `now`, `today` (local midnight), either with an offset (`now-3d`), or an ISO date. */
export function resolveDateExpression(expression: string, context: ConditionContext): number | undefined {
  const match = DATE_EXPRESSION_PATTERN.exec(expression);
  if (!match) return undefined;
  const [, base, sign, offset] = match;
  if (!base) return toTime(expression);
  let start = context.now;
  if (base === 'today')
    start = fromLocal({ ...toLocal(context.now, context.timeZone), hour: 0, minute: 0, second: 0 }, context.timeZone);
  if (!offset) return start.getTime();
  return addDuration(start, offset, context.timeZone, sign === '-' ? -1 : 1).getTime();
}
