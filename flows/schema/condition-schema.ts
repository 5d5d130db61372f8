import { z } from 'zod';
import { durationSchema, isValidRegex, pathSchema, scalarSchema } from './primitive-schemas.js';

export const CONDITION_OPS = [
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'contains',
  'notContains',
  'in',
  'notIn',
  'set',
  'empty',
  'regex',
  'before',
  'after',
  'within',
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

/** `now`, `today`, `now-3d`, `today+1w` or an ISO date / date-time. */
export const DATE_EXPRESSION_PATTERN =
  /^(?:(now|today)(?:([+-])((?=\d)(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?))?|\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?)$/;

const withinSchema = z
  .strictObject({ past: durationSchema.optional(), next: durationSchema.optional() })
  .refine((value) => (value.past === undefined) !== (value.next === undefined), 'Give either past or next');

const leafSchema = z
  .strictObject({
    path: pathSchema,
    op: z.enum(CONDITION_OPS),
    value: z.union([scalarSchema, z.array(scalarSchema), withinSchema]).optional(),
  })
  .superRefine((leaf, ctx) => {
    const problem = valueProblem(leaf.op, leaf.value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: leaf.value === undefined ? [] : ['value'] });
  });

function valueProblem(op: ConditionOp, value: unknown): string | undefined {
  switch (op) {
    case 'set':
    case 'empty':
      return value === undefined ? undefined : `"${op}" takes no value`;
    case 'in':
    case 'notIn':
      return Array.isArray(value) ? undefined : `"${op}" needs a list of values`;
    case 'regex':
      if (typeof value !== 'string') return '"regex" needs a regular expression as text';
      return isValidRegex(value) ? undefined : `Not a valid regular expression: ${value}`;
    case 'before':
    case 'after':
      return typeof value === 'string' && DATE_EXPRESSION_PATTERN.test(value)
        ? undefined
        : `"${op}" needs a date: an ISO date, now, today, or now/today with an offset such as now-3d`;
    case 'within':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? undefined
        : '"within" needs { past: <duration> } or { next: <duration> }';
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return typeof value === 'number' || typeof value === 'string' ? undefined : `"${op}" needs a number`;
    case 'eq':
    case 'ne':
    case 'contains':
    case 'notContains':
      return value === undefined || Array.isArray(value) || (typeof value === 'object' && value !== null)
        ? `"${op}" needs a single value`
        : undefined;
  }
}

export type ConditionLeaf = z.infer<typeof leafSchema>;
export type Condition = ConditionLeaf | { all: Condition[] } | { any: Condition[] } | { not: Condition };

/**
 * A tree of checks: `{ path, op, value }` leaves combined with `all`, `any` and `not`, evaluated
 * over the contact, the deal, the conversation, the event, the run's variables and system values.
 */
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    leafSchema,
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
    z.strictObject({ not: conditionSchema }),
  ]),
);
