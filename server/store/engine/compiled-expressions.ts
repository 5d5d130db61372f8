import { CommandError, ErrorCodes } from '../errors.js';
import { compareValues, isPlainObject, toDouble, TypeTag, typeTagOf } from './key-encoding.js';

/**
 * Aggregation expressions compiled to closures, for the operators reports use most. mingo
 * interprets an expression tree anew for every document (a third of a report's time over
 * 100,000 deals); a closure built once costs a call per node. Values follow MongoDB: `undefined`
 * is a missing field, comparisons use BSON's order across types (as index keys do), and an
 * expression this file does not know leaves the stage to mingo.
 */

export type Doc = Record<string, unknown>;
export type Variables = Record<string, unknown>;
export type Evaluate = (doc: Doc, variables: Variables) => unknown;

const isNullish = (value: unknown) => value === null || value === undefined;

const valuesEqual = (a: unknown, b: unknown) => compareValues(a, b) === 0;

/** MongoDB's truth: false, null, missing and zero are false; everything else (also "") true. */
const truthy = (value: unknown) => !(value === false || isNullish(value) || value === 0);

/**
 * A field path's value: through arrays of documents it gathers the values of each element
 * (missing ones left out), as MongoDB's `$a.b` does.
 */
function valueAtPath(value: unknown, parts: readonly string[], from: number): unknown {
  let current = value;
  for (let i = from; i < parts.length; i++) {
    if (Array.isArray(current)) {
      const out: unknown[] = [];
      for (const element of current) {
        if (!Array.isArray(element) && !isPlainObject(element)) continue;
        const found = valueAtPath(element, parts, i);
        if (found !== undefined) out.push(found);
      }
      return out;
    }
    if (!isPlainObject(current)) return undefined;
    current = current[parts[i]!];
  }
  return current;
}

function compileFieldPath(path: string): Evaluate | undefined {
  if (path.startsWith('$$')) {
    const [name, ...parts] = path.slice(2).split('.');
    if (!name || parts.some((part) => part === '')) return undefined;
    if (name === 'ROOT' || name === 'CURRENT') {
      return parts.length === 0 ? (doc) => doc : (doc) => valueAtPath(doc, parts, 0);
    }
    if (name === 'REMOVE') return () => undefined;
    if (name === 'NOW' || name === 'CLUSTER_TIME' || name === 'SEARCH_META') return undefined;
    return parts.length === 0
      ? (_, variables) => variables[name]
      : (_, variables) => valueAtPath(variables[name], parts, 0);
  }
  const parts = path.slice(1).split('.');
  if (parts.some((part) => part === '' || part.startsWith('$'))) return undefined;
  if (parts.length === 1) {
    const [field] = parts as [string];
    return (doc) => doc[field];
  }
  return (doc) => valueAtPath(doc, parts, 0);
}

type OperatorCompiler = (argument: unknown) => Evaluate | undefined;

/** An operator's arguments: an array, or one value standing for a one-element array. */
function compileArguments(argument: unknown, count?: number): Evaluate[] | undefined {
  const list = Array.isArray(argument) ? argument : [argument];
  if (count !== undefined && list.length !== count) return undefined;
  const compiled = list.map(compileExpression);
  return compiled.every(Boolean) ? (compiled as Evaluate[]) : undefined;
}

function comparison(holds: (order: number) => boolean): OperatorCompiler {
  return (argument) => {
    const args = compileArguments(argument, 2);
    if (!args) return undefined;
    const [left, right] = args as [Evaluate, Evaluate];
    return (doc, variables) => holds(compareValues(left(doc, variables), right(doc, variables)));
  };
}

function typeError(operator: string, value: unknown): CommandError {
  return new CommandError(
    ErrorCodes.TypeMismatch,
    `${operator} only supports numeric or date types, not ${Array.isArray(value) ? 'array' : typeof value}`,
  );
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number';
}

/** `$subtract`, `$add`... over numbers and dates; anything else that is not null is an error. */
function arithmetic(operator: string, combine: (values: unknown[]) => unknown, count?: number): OperatorCompiler {
  return (argument) => {
    const args = compileArguments(argument, count);
    if (!args) return undefined;
    return (doc, variables) => {
      const values = args.map((arg) => arg(doc, variables));
      if (values.some(isNullish)) return null;
      for (let i = 0; i < values.length; i++) {
        const value = values[i];
        if (isNumber(value) || value instanceof Date) continue;
        // Long and Decimal128 (the app writes neither) are computed as doubles.
        if (typeTagOf(value) !== TypeTag.Number) throw typeError(operator, value);
        values[i] = toDouble(value);
      }
      return combine(values);
    };
  };
}

const time = (value: unknown) => (value instanceof Date ? value.getTime() : (value as number));

/** `$min`/`$max` over values, expression or accumulator: nulls and missing ones never win. */
export function keepBetter(best: unknown, value: unknown, pick: (order: number) => boolean): unknown {
  if (isNullish(value)) return best;
  return best === null || pick(compareValues(value, best)) ? value : best;
}

function extremum(pick: (order: number) => boolean): OperatorCompiler {
  return (argument) => {
    const args = compileArguments(argument);
    if (!args) return undefined;
    return (doc, variables) => {
      // One argument that is an array: over its elements; several: over the arguments.
      let values: unknown[] = args.map((arg) => arg(doc, variables));
      if (args.length === 1 && Array.isArray(values[0])) values = values[0];
      return values.reduce((best: unknown, value) => keepBetter(best, value, pick), null);
    };
  };
}

/** `$map` and `$filter`: an input array, a variable name, and a body per element. */
function overArray(
  argument: unknown,
  body: 'in' | 'cond',
  finish: (input: unknown[], results: (element: unknown) => unknown) => unknown,
): Evaluate | undefined {
  if (!isPlainObject(argument)) return undefined;
  const { input, as = 'this', ...rest } = argument;
  if (typeof as !== 'string' || Object.keys(rest).some((key) => key !== body)) return undefined;
  const compiledInput = compileExpression(input);
  const compiledBody = compileExpression(rest[body]);
  if (!compiledInput || !compiledBody) return undefined;
  return (doc, variables) => {
    const list = compiledInput(doc, variables);
    if (isNullish(list)) return null;
    if (!Array.isArray(list)) {
      throw new CommandError(ErrorCodes.TypeMismatch, `input to $${body === 'in' ? 'map' : 'filter'} must be an array`);
    }
    return finish(list, (element) => compiledBody(doc, { ...variables, [as]: element }));
  };
}

const operators: Record<string, OperatorCompiler> = {
  $literal: (argument) => () => argument,
  $eq: comparison((order) => order === 0),
  $ne: comparison((order) => order !== 0),
  $gt: comparison((order) => order > 0),
  $gte: comparison((order) => order >= 0),
  $lt: comparison((order) => order < 0),
  $lte: comparison((order) => order <= 0),
  $and: (argument) => {
    const args = compileArguments(argument);
    return args && ((doc, variables) => args.every((arg) => truthy(arg(doc, variables))));
  },
  $or: (argument) => {
    const args = compileArguments(argument);
    return args && ((doc, variables) => args.some((arg) => truthy(arg(doc, variables))));
  },
  $not: (argument) => {
    const args = compileArguments(argument, 1);
    return args && ((doc, variables) => !truthy(args[0]!(doc, variables)));
  },
  $cond: (argument) => {
    const parts = Array.isArray(argument)
      ? argument
      : isPlainObject(argument) && Object.keys(argument).sort().join() === 'else,if,then'
        ? [argument.if, argument.then, argument.else]
        : undefined;
    const args = parts && parts.length === 3 ? compileArguments(parts, 3) : undefined;
    if (!args) return undefined;
    const [condition, then, otherwise] = args as [Evaluate, Evaluate, Evaluate];
    return (doc, variables) => (truthy(condition(doc, variables)) ? then(doc, variables) : otherwise(doc, variables));
  },
  $ifNull: (argument) => {
    const args = Array.isArray(argument) && argument.length >= 2 ? compileArguments(argument) : undefined;
    if (!args) return undefined;
    return (doc, variables) => {
      for (let i = 0; i < args.length - 1; i++) {
        const value = args[i]!(doc, variables);
        if (!isNullish(value)) return value;
      }
      return args[args.length - 1]!(doc, variables);
    };
  },
  $add: arithmetic('$add', (values) => {
    const date = values.find((value) => value instanceof Date);
    const sum = values.reduce<number>((total, value) => total + time(value), 0);
    return date ? new Date(sum) : sum;
  }),
  $subtract: arithmetic(
    '$subtract',
    ([left, right]) => {
      if (left instanceof Date && !(right instanceof Date)) return new Date(left.getTime() - (right as number));
      if (!(left instanceof Date) && right instanceof Date) throw typeError('$subtract', right);
      return time(left) - time(right);
    },
    2,
  ),
  $multiply: arithmetic('$multiply', (values) => {
    if (!values.every(isNumber))
      throw typeError(
        '$multiply',
        values.find((value) => !isNumber(value)),
      );
    return values.reduce((product, value) => product * value, 1);
  }),
  $divide: arithmetic(
    '$divide',
    ([left, right]) => {
      if (!isNumber(left) || !isNumber(right)) throw typeError('$divide', isNumber(left) ? right : left);
      if (right === 0) throw new CommandError(ErrorCodes.BadValue, "can't $divide by zero");
      return left / right;
    },
    2,
  ),
  $max: extremum((order) => order > 0),
  $min: extremum((order) => order < 0),
  $size: (argument) => {
    const args = compileArguments(argument, 1);
    if (!args) return undefined;
    return (doc, variables) => {
      const value = args[0]!(doc, variables);
      if (!Array.isArray(value))
        throw new CommandError(ErrorCodes.TypeMismatch, 'The argument to $size must be an array');
      return value.length;
    };
  },
  $in: (argument) => {
    const args = compileArguments(argument, 2);
    if (!args) return undefined;
    const [needle, haystack] = args as [Evaluate, Evaluate];
    return (doc, variables) => {
      const list = haystack(doc, variables);
      if (!Array.isArray(list))
        throw new CommandError(ErrorCodes.BadValue, '$in requires an array as a second argument');
      const value = needle(doc, variables);
      return list.some((element) => valuesEqual(element, value));
    };
  },
  $indexOfArray: (argument) => {
    const args = Array.isArray(argument) && argument.length === 2 ? compileArguments(argument, 2) : undefined;
    if (!args) return undefined;
    const [array, search] = args as [Evaluate, Evaluate];
    return (doc, variables) => {
      const list = array(doc, variables);
      if (isNullish(list)) return null;
      if (!Array.isArray(list)) throw new CommandError(ErrorCodes.BadValue, '$indexOfArray requires an array');
      const wanted = search(doc, variables);
      return list.findIndex((element) => valuesEqual(element, wanted));
    };
  },
  $map: (argument) => overArray(argument, 'in', (list, result) => list.map((element) => result(element) ?? null)),
  $filter: (argument) => overArray(argument, 'cond', (list, keep) => list.filter((element) => truthy(keep(element)))),
};

/** Compiles an aggregation expression; undefined when it uses something not compiled here. */
export function compileExpression(expression: unknown): Evaluate | undefined {
  if (typeof expression === 'string')
    return expression.startsWith('$') ? compileFieldPath(expression) : () => expression;
  if (Array.isArray(expression)) {
    const items = compileArguments(expression);
    return items && ((doc, variables) => items.map((item) => item(doc, variables) ?? null));
  }
  const tag = typeTagOf(expression);
  if (tag !== TypeTag.Object) return () => expression;
  const entries = Object.entries(expression as Doc);
  if (entries.length === 1 && entries[0]![0].startsWith('$')) {
    const [name, argument] = entries[0]!;
    return operators[name]?.(argument);
  }
  if (entries.some(([key]) => key.startsWith('$') || key.includes('.'))) return undefined;
  const fields = entries.map(([key, value]) => [key, compileExpression(value)] as const);
  if (!fields.every(([, compiled]) => compiled)) return undefined;
  return (doc, variables) => {
    const out: Doc = {};
    for (const [key, compiled] of fields) {
      const value = compiled!(doc, variables);
      // A field whose value is missing is left out, as MongoDB builds an object expression.
      if (value !== undefined) out[key] = value;
    }
    return out;
  };
}
