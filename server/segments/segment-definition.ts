import { z } from 'zod';
import { validationTexts } from '../api/validation-texts.js';
import { channelSchema } from '../contacts/contact-schemas.js';
import { customFieldKeySchema } from '../custom-fields/custom-field-schemas.js';
import { DEAL_STATUSES } from '../deals/deal-model.js';
import { stageIdSchema } from '../pipelines/pipeline-schema.js';
import { objectIdSchema } from '../users/user-schemas.js';

const { say, sayWith } = validationTexts;

/** Most conditions one segment holds: enough for any real list, few enough to stay one query. */
export const MAX_SEGMENT_CONDITIONS = 30;

export const TEXT_FIELDS = ['region', 'source', 'utm.source', 'utm.medium', 'utm.campaign', 'language'] as const;
export const TEXT_OPS = ['is', 'is-not', 'contains', 'empty', 'not-empty'] as const;
export const DATE_FIELDS = ['createdAt', 'lastActivityAt'] as const;

const textValue = z.string().trim().min(1).max(200);

/**
 * 'is' … 'contains' compare with a value; 'empty' and 'not-empty' take none. Checked here rather
 * than by the type so that a builder switching operators may leave a stale value behind.
 */
function valueWhereNeeded(condition: { op: (typeof TEXT_OPS)[number]; value?: string }, ctx: z.RefinementCtx): void {
  const needsValue = condition.op !== 'empty' && condition.op !== 'not-empty';
  if (needsValue && condition.value === undefined)
    ctx.addIssue({ code: 'custom', path: ['value'], ...sayWith('segmentValue', { op: condition.op }) });
}

const tagCondition = z.strictObject({
  field: z.literal('tag'),
  op: z.enum(['has', 'not-has']),
  value: z.string().trim().min(1).max(60),
});

const textCondition = z
  .strictObject({ field: z.enum(TEXT_FIELDS), op: z.enum(TEXT_OPS), value: textValue.optional() })
  .superRefine(valueWhereNeeded);

const customFieldCondition = z
  .strictObject({
    field: z.literal('customField'),
    key: customFieldKeySchema,
    op: z.enum(TEXT_OPS),
    value: textValue.optional(),
  })
  .superRefine(valueWhereNeeded);

const idCondition = <F extends string>(field: F) =>
  z.strictObject({ field: z.literal(field), op: z.enum(['is', 'is-not']), value: objectIdSchema });

/** An ISO date ('2026-03-01', a whole day in UTC) or a moment with its offset. */
const dateValue = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: say('dateOrMoment'),
});

const dateCondition = <F extends (typeof DATE_FIELDS)[number]>(field: F) =>
  z.discriminatedUnion('op', [
    z.strictObject({
      field: z.literal(field),
      op: z.enum(['within-days', 'not-within-days']),
      value: z.number().int().min(1).max(3650),
    }),
    z.strictObject({ field: z.literal(field), op: z.enum(['before', 'after']), value: dateValue }),
  ]);

const channelCondition = z.strictObject({
  field: z.literal('channel'),
  op: z.enum(['has', 'not-has']),
  value: channelSchema,
});

const consentCondition = z.strictObject({
  field: z.literal('consent'),
  op: z.enum(['opted-in', 'opted-out', 'not-opted-out']),
  value: channelSchema,
});

const dealCondition = z.strictObject({
  field: z.literal('deal'),
  op: z.enum(['has', 'not-has']),
  pipelineId: objectIdSchema.optional(),
  stageId: stageIdSchema.optional(),
  status: z.enum(DEAL_STATUSES).optional(),
});

/** One rule of a segment, told apart by `field`; the compiler switches on it exhaustively. */
export const segmentConditionSchema = z.discriminatedUnion('field', [
  tagCondition,
  textCondition,
  customFieldCondition,
  idCondition('owner'),
  idCondition('team'),
  idCondition('company'),
  dateCondition('createdAt'),
  dateCondition('lastActivityAt'),
  channelCondition,
  consentCondition,
  dealCondition,
]);

/** A saved filter: contacts matching all (or any) of the conditions; none means every active contact. */
export const segmentDefinitionSchema = z.strictObject({
  match: z.enum(['all', 'any']),
  conditions: z.array(segmentConditionSchema).max(MAX_SEGMENT_CONDITIONS),
});

export type SegmentCondition = z.output<typeof segmentConditionSchema>;
export type SegmentDefinition = z.output<typeof segmentDefinitionSchema>;
export type TextOp = (typeof TEXT_OPS)[number];
