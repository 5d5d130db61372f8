import type { z } from 'zod';
import type { Language } from '../schema/define-texts.js';
import { flowFileTexts, type FlowFileWords } from '../schema/flow-file-texts.js';

type ZodIssue = z.core.$ZodIssue;

/** A schema problem in words a flow author understands, and the node it is about. */
export interface DescribedIssue {
  path: PropertyKey[];
  /** Set when the problem is a key itself (an unknown key). */
  key?: string;
  message: string;
}

/**
 * Rewrites zod's issues for people writing YAML: unknown keys one by one at the key, missing keys
 * by name, unknown options with the allowed list, and for unions (conditions) only the errors of
 * the shape the author evidently meant.
 */
export function describeZodIssues(
  issues: readonly ZodIssue[],
  data: unknown,
  language: Language,
  base: PropertyKey[] = [],
): DescribedIssue[] {
  return issues.flatMap((issue) => describeIssue(issue, data, language, [...base, ...issue.path]));
}

function describeIssue(issue: ZodIssue, data: unknown, language: Language, path: PropertyKey[]): DescribedIssue[] {
  const value = valueAt(data, path);
  const words = flowFileTexts.words(language);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path,
        key,
        // Keys are latin identifiers; in `{ ru: Да, буду }` YAML ends the text at the comma and
        // reads "буду" as a key, so a key with spaces or other letters points at that.
        message: words(/[^\w-]/.test(key) ? 'unknownKeyComma' : 'unknownKey', { key }),
      }));
    case 'invalid_union': {
      if (issue.discriminator !== undefined) {
        const options = 'options' in issue ? (issue.options ?? []).map(String).join(', ') : '';
        const name = String(path.at(-1) ?? 'type');
        const message =
          value === undefined
            ? words('missingOneOf', { name, options })
            : words('unknownOneOf', { name, value: show(value), options });
        return [{ path: value === undefined ? path.slice(0, -1) : path, message }];
      }
      const branch = closestBranch(issue.errors, data, path);
      if (!branch) return [{ path, message: words('noShape') }];
      return describeZodIssues(branch, data, language, path);
    }
    case 'invalid_type':
      if (value === undefined)
        return [{ path: path.slice(0, -1), message: words('missing', { name: String(path.at(-1)) }) }];
      return [
        {
          path,
          message: words('expectedGot', {
            expected: kindName(issue.expected, words),
            actual: kindOf(value, words),
          }),
        },
      ];
    case 'invalid_value':
      if (issue.values.length === 1)
        return [{ path, message: words('expectedGot', { expected: show(issue.values[0]), actual: show(value) }) }];
      return [
        {
          path,
          message: words('unknownValue', { value: show(value), options: issue.values.map(String).join(', ') }),
        },
      ];
    case 'too_small':
      if (issue.origin === 'array')
        return [{ path, message: words('atLeastItems', { minimum: String(issue.minimum) }) }];
      if (issue.origin === 'string') return [{ path, message: words('notEmpty') }];
      return [{ path, message: words('atLeast', { minimum: String(issue.minimum) }) }];
    case 'too_big':
      if (issue.origin === 'array')
        return [{ path, message: words('atMostItems', { maximum: String(issue.maximum) }) }];
      if (issue.origin === 'string')
        return [{ path, message: words('atMostCharacters', { maximum: String(issue.maximum) }) }];
      return [{ path, message: words('atMost', { maximum: String(issue.maximum) }) }];
    case 'not_multiple_of':
      return [{ path, message: words('multipleOf', { divisor: String(issue.divisor) }) }];
    default:
      // The schema's own rules (flow-file-texts.ts) and zod's words, which the parse gave in `language`.
      return [{ path, message: flowFileTexts.localize(issue, language) }];
  }
}

/**
 * The union member the author meant: the one whose errors are about values rather than about the
 * shape (keys it does not know, keys it is missing), then the one with the fewest errors.
 */
function closestBranch(branches: readonly ZodIssue[][], data: unknown, at: PropertyKey[]): ZodIssue[] | undefined {
  const scored = branches.map((issues) => ({ issues, score: shapeErrors(issues, data, at), count: issues.length }));
  scored.sort((a, b) => a.score - b.score || a.count - b.count);
  return scored[0]?.issues;
}

/** Keys the branch does not know, and keys it misses (read from the data: zod's words depend on the language). */
function shapeErrors(issues: readonly ZodIssue[], data: unknown, at: PropertyKey[]): number {
  return issues.filter(
    (issue) =>
      (issue.code === 'unrecognized_keys' && issue.path.length === 0) ||
      (issue.code === 'invalid_type' && issue.path.length === 1 && valueAt(data, [...at, ...issue.path]) === undefined),
  ).length;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Reflect.get(current, segment);
  }
  return current;
}

const KIND_NAMES: Record<string, 'kindText' | 'kindNumber' | 'kindBoolean' | 'kindList' | 'kindMap'> = {
  string: 'kindText',
  number: 'kindNumber',
  boolean: 'kindBoolean',
  array: 'kindList',
  object: 'kindMap',
  record: 'kindMap',
};

function kindName(expected: string, words: FlowFileWords): string {
  const key = KIND_NAMES[expected];
  return key ? words(key) : expected;
}

function kindOf(value: unknown, words: FlowFileWords): string {
  if (value === null) return words('gotNull');
  if (Array.isArray(value)) return words('kindList');
  if (typeof value === 'object') return words('kindMap');
  if (typeof value === 'string') return words('gotText', { value: show(value) });
  if (typeof value === 'number') return words('gotNumber', { value: String(value) });
  return String(value);
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
}
