import { OpType } from 'mingo/core';
import { CommandError, ErrorCodes } from '../errors.js';
import { isPlainObject } from './key-encoding.js';
import { knowsOperator } from './mingo-options.js';

/**
 * Checks filters and aggregation expressions the way MongoDB's parsers do, before any document is
 * read. mingo accepts some of these mistakes (`{$and: []}` matches everything) and reports the
 * others with its own messages, where clients branch on MongoDB's codes.
 */

/** Accumulators MongoDB also takes as expressions (`{$sum: ['$a', '$b']}`); mingo evaluates them as accumulators. */
const EXPRESSION_ACCUMULATORS = new Set(['$sum', '$avg', '$max', '$min', '$stdDevPop', '$stdDevSamp']);

/** Expressions whose argument is a value, never parsed as an expression. */
const LITERAL_EXPRESSIONS = new Set(['$literal', '$const']);

export function isExpressionName(name: string): boolean {
  // `$meta` is known to MongoDB; find projections serve it themselves.
  return knowsOperator(OpType.EXPRESSION, name) || EXPRESSION_ACCUMULATORS.has(name) || name === '$meta';
}

/** Throws InvalidPipelineOperator (168) for an operator MongoDB (or the store) does not know. */
export function validateExpression(expression: unknown): void {
  if (Array.isArray(expression)) {
    for (const item of expression) validateExpression(item);
    return;
  }
  if (!isPlainObject(expression)) return;
  const [first] = Object.keys(expression);
  if (first?.startsWith('$')) {
    if (!isExpressionName(first)) {
      throw new CommandError(ErrorCodes.InvalidPipelineOperator, `Unrecognized expression '${first}'`);
    }
    if (LITERAL_EXPRESSIONS.has(first)) return;
  }
  for (const value of Object.values(expression)) validateExpression(value);
}

const LOGICAL_OPERATORS = new Set(['$and', '$or', '$nor']);

/** `$and`/`$or`/`$nor` take a nonempty array of filters (MongoDB's parseTreeTopLevel). */
function validateClauses(operator: string, clauses: unknown): void {
  if (!Array.isArray(clauses)) throw new CommandError(ErrorCodes.BadValue, `${operator} must be an array`);
  if (clauses.length === 0) throw new CommandError(ErrorCodes.BadValue, '$and/$or/$nor must be a nonempty array');
  for (const clause of clauses) {
    if (!isPlainObject(clause)) {
      throw new CommandError(ErrorCodes.BadValue, '$or/$and/$nor entries need to be full objects');
    }
    validateFilter(clause);
  }
}

/** Throws MongoDB's parse errors for a query filter (also one nested in `$elemMatch`). */
export function validateFilter(filter: unknown): void {
  if (!isPlainObject(filter)) return;
  for (const [key, value] of Object.entries(filter)) {
    if (LOGICAL_OPERATORS.has(key)) validateClauses(key, value);
    else if (key === '$expr') validateExpression(value);
    else if (!key.startsWith('$')) validateCondition(value);
  }
}

/** A field's condition: `{$regex: ...}`, `{$not: ...}`, `{$elemMatch: ...}` and their neighbours. */
function validateCondition(condition: unknown): void {
  if (!isPlainObject(condition) || !Object.keys(condition).some((key) => key.startsWith('$'))) return;
  if ('$regex' in condition) validateRegex(condition.$regex, condition.$options);
  if ('$not' in condition) validateCondition(condition.$not);
  if ('$elemMatch' in condition) {
    // Either a filter on the elements' fields or conditions on the elements themselves.
    validateFilter(condition.$elemMatch);
    validateCondition(condition.$elemMatch);
  }
}

/** PCRE's length limit, which MongoDB enforces before compiling. */
const MAX_PATTERN_LENGTH = 32764;
const REGEX_FLAGS = new Set(['i', 'm', 's', 'u', 'x']);

/** PCRE's wording for the commonest mistakes, where V8's differs. */
const PCRE_MESSAGES: Record<string, string> = {
  'Unterminated group': 'missing closing parenthesis',
  "Unmatched ')'": 'unmatched closing parenthesis',
  'Unterminated character class': 'missing terminating ] for character class',
  'Nothing to repeat': 'quantifier does not follow a repeatable item',
};

function regexFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = /^Invalid regular expression: \/.*\/[a-z]*: (.*)$/s.exec(message)?.[1] ?? message;
  return PCRE_MESSAGES[reason] ?? reason;
}

/**
 * MongoDB compiles a `$regex` when it parses the query (RegexMatchExpression), so a bad pattern
 * fails the command even when no document is read. mingo compiles it with `new RegExp`, so the
 * same compilation tells whether it will run.
 */
function validateRegex(pattern: unknown, options: unknown): void {
  if (typeof pattern !== 'string') return;
  if (pattern.length > MAX_PATTERN_LENGTH)
    throw new CommandError(ErrorCodes.BadValue, 'Regular expression is too long');
  if (pattern.includes('\0')) {
    throw new CommandError(ErrorCodes.BadValue, 'Regular expression cannot contain an embedded null byte');
  }
  const flags = typeof options === 'string' ? options : '';
  for (const flag of flags) {
    if (!REGEX_FLAGS.has(flag)) {
      throw new CommandError(ErrorCodes.Location51108, `invalid flag in regex options: ${flag}`);
    }
  }
  try {
    // JavaScript has no extended mode ('x'), and refuses a flag given twice.
    new RegExp(pattern, [...new Set(flags.replace(/x/g, ''))].join(''));
  } catch (error) {
    throw new CommandError(ErrorCodes.Location51091, `Regular expression is invalid: ${regexFailure(error)}`);
  }
}
