import { z } from 'zod';
import { flowFileTexts } from './flow-file-texts.js';
import { durationSchema, isValidRegex, pathSchema, scalarSchema } from './primitive-schemas.js';

const { say, sayWith } = flowFileTexts;

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
  .refine((value) => (value.past === undefined) !== (value.next === undefined), say('pastOrNext'));

const leafSchema = z
  .strictObject({
    path: pathSchema,
    op: z.enum(CONDITION_OPS),
    value: z.union([scalarSchema, z.array(scalarSchema), withinSchema]).optional(),
  })
  .superRefine((leaf, ctx) => {
    const problem = valueProblem(leaf.op, leaf.value);
    if (problem) ctx.addIssue({ code: 'custom', ...problem, path: leaf.value === undefined ? [] : ['value'] });
  });

function valueProblem(
  op: ConditionOp,
  value: unknown,
): { message: string; params?: Record<string, unknown> } | undefined {
  switch (op) {
    case 'set':
    case 'empty':
      return value === undefined ? undefined : sayWith('takesNoValue', { op });
    case 'in':
    case 'notIn':
      return Array.isArray(value) ? undefined : sayWith('needsList', { op });
    case 'regex':
      if (typeof value !== 'string') return { message: say('regexNeedsText') };
      return isValidRegex(value) ? undefined : sayWith('badRegexValue', { value });
    case 'before':
    case 'after':
      return typeof value === 'string' && DATE_EXPRESSION_PATTERN.test(value)
        ? undefined
        : sayWith('needsDate', { op });
    case 'within':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? undefined
        : { message: say('withinShape') };
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return typeof value === 'number' || typeof value === 'string' ? undefined : sayWith('needsNumber', { op });
    case 'eq':
    case 'ne':
    case 'contains':
    case 'notContains':
      return value === undefined || Array.isArray(value) || (typeof value === 'object' && value !== null)
        ? sayWith('needsSingleValue', { op })
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
