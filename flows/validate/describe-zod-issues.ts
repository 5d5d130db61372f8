import type { z } from 'zod';

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
  base: PropertyKey[] = [],
): DescribedIssue[] {
  return issues.flatMap((issue) => describeIssue(issue, data, [...base, ...issue.path]));
}

function describeIssue(issue: ZodIssue, data: unknown, path: PropertyKey[]): DescribedIssue[] {
  const value = valueAt(data, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path,
        key,
        // Keys are latin identifiers; in `{ ru: Да, буду }` YAML ends the text at the comma and
        // reads "буду" as a key, so a key with spaces or other letters points at that.
        message: /[^\w-]/.test(key)
          ? `Unknown key "${key}": a comma inside { } ends the text; put the text in quotes`
          : `Unknown key "${key}"`,
      }));
    case 'invalid_union': {
      if (issue.discriminator !== undefined) {
        const options = 'options' in issue ? (issue.options ?? []).map(String).join(', ') : '';
        const name = String(path.at(-1) ?? 'type');
        const message =
          value === undefined
            ? `Missing "${name}"; expected one of: ${options}`
            : `Unknown ${name} ${show(value)}; expected one of: ${options}`;
        return [{ path: value === undefined ? path.slice(0, -1) : path, message }];
      }
      const branch = closestBranch(issue.errors);
      if (!branch) return [{ path, message: 'Does not match any allowed shape' }];
      return describeZodIssues(branch, data, path);
    }
    case 'invalid_type':
      if (value === undefined) return [{ path: path.slice(0, -1), message: `Missing "${String(path.at(-1))}"` }];
      return [{ path, message: `Expected ${kindName(issue.expected)}, got ${kindOf(value)}` }];
    case 'invalid_value':
      if (issue.values.length === 1)
        return [{ path, message: `Expected ${show(issue.values[0])}, got ${show(value)}` }];
      return [
        { path, message: `Unknown value ${show(value)}; expected one of: ${issue.values.map(String).join(', ')}` },
      ];
    case 'too_small':
      if (issue.origin === 'array') return [{ path, message: `Needs at least ${String(issue.minimum)} item(s)` }];
      if (issue.origin === 'string') return [{ path, message: 'Must not be empty' }];
      return [{ path, message: `Must be at least ${String(issue.minimum)}` }];
    case 'too_big':
      if (issue.origin === 'array') return [{ path, message: `At most ${String(issue.maximum)} item(s)` }];
      if (issue.origin === 'string') return [{ path, message: `At most ${String(issue.maximum)} characters` }];
      return [{ path, message: `Must be at most ${String(issue.maximum)}` }];
    case 'not_multiple_of':
      return [{ path, message: `Must be a multiple of ${String(issue.divisor)}` }];
    default:
      return [{ path, message: issue.message }];
  }
}

/**
 * The union member the author meant: the one whose errors are about values rather than about the
 * shape (keys it does not know, keys it is missing), then the one with the fewest errors.
 */
function closestBranch(branches: readonly ZodIssue[][]): ZodIssue[] | undefined {
  const scored = branches.map((issues) => ({ issues, score: shapeErrors(issues), count: issues.length }));
  scored.sort((a, b) => a.score - b.score || a.count - b.count);
  return scored[0]?.issues;
}

function shapeErrors(issues: readonly ZodIssue[]): number {
  return issues.filter(
    (issue) =>
      (issue.code === 'unrecognized_keys' && issue.path.length === 0) ||
      (issue.code === 'invalid_type' && issue.path.length === 1 && issue.message.endsWith('received undefined')),
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

function kindName(expected: string): string {
  const names: Record<string, string> = {
    string: 'text',
    number: 'a number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a map of keys',
    record: 'a map of keys',
  };
  return names[expected] ?? expected;
}

function kindOf(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map of keys';
  if (typeof value === 'string') return `text ${show(value)}`;
  return `${typeof value === 'number' ? 'the number' : ''} ${String(value)}`.trim();
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
}
