import { z } from 'zod';
import { listQuerySchema } from '../api/pagination.js';
import { validationTexts } from '../api/validation-texts.js';
import { customFieldValuesSchema } from '../custom-fields/custom-field-schemas.js';
import { stageIdSchema } from '../pipelines/pipeline-schema.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { actorSchema } from './actor-schema.js';
import { DEAL_STATUSES } from './deal-model.js';

const { say } = validationTexts;

/** Money in major units (roubles) with kopecks at most. */
export const amountSchema = z.number().min(0).max(1e12).multipleOf(0.01);
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, say('currency'));

export const createDealSchema = z.strictObject({
  title: z.string().trim().min(1).max(300),
  pipelineId: objectIdSchema,
  stageId: stageIdSchema.optional(),
  amount: amountSchema.default(0),
  currency: currencySchema.default('RUB'),
  ownerId: objectIdSchema.optional(),
  contactId: objectIdSchema.optional(),
  companyId: objectIdSchema.optional(),
  customFields: customFieldValuesSchema.default({}),
});

/** Stage and status change only through move / won / lost, which keep the history right. */
export const updateDealSchema = z.strictObject({
  title: z.string().trim().min(1).max(300).optional(),
  amount: amountSchema.optional(),
  currency: currencySchema.optional(),
  ownerId: objectIdSchema.optional(),
  contactId: objectIdSchema.nullable().optional(),
  companyId: objectIdSchema.nullable().optional(),
  /** Merged into the stored values; `null` removes a field. */
  customFields: customFieldValuesSchema.optional(),
});

/** A move may cross pipelines (deferred demand back to sales); `pipelineId` defaults to the deal's own. */
export const moveDealSchema = z.strictObject({
  stageId: stageIdSchema,
  pipelineId: objectIdSchema.optional(),
});

export const loseDealSchema = z.strictObject({ reason: z.string().trim().min(1).max(200) });

export const copyDealSchema = z.strictObject({
  pipelineId: objectIdSchema,
  stageId: stageIdSchema.optional(),
});

export const dealListQuerySchema = listQuerySchema.extend({
  pipelineId: objectIdSchema.optional(),
  stageId: stageIdSchema.optional(),
  ownerId: objectIdSchema.optional(),
  contactId: objectIdSchema.optional(),
  companyId: objectIdSchema.optional(),
  status: z.enum(DEAL_STATUSES).optional(),
});

/** The board's filters: the list's, without paging. */
export const dealTotalsQuerySchema = dealListQuerySchema.omit({ limit: true, cursor: true }).extend({
  pipelineId: objectIdSchema,
});

export const dealTotalsSchema = z.object({
  stages: z.array(
    z.object({
      stageId: z.string(),
      count: z.number(),
      /** Sums per currency: a board does not add roubles to dollars. */
      amounts: z.array(z.object({ currency: z.string(), amount: z.number() })),
    }),
  ),
});

export const dealIdParamsSchema = z.strictObject({ id: objectIdSchema });

const linkView = z.object({ dealId: z.string(), pipelineId: z.string() });

export const dealViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  pipelineId: z.string(),
  stageId: z.string(),
  amount: z.number(),
  currency: z.string(),
  ownerId: z.string(),
  contactId: z.string().optional(),
  companyId: z.string().optional(),
  customFields: z.record(z.string(), z.unknown()),
  status: z.enum(DEAL_STATUSES),
  lostReason: z.string().optional(),
  closedAt: z.date().optional(),
  stageHistory: z.array(
    z.object({
      pipelineId: z.string(),
      stageId: z.string(),
      enteredAt: z.date(),
      leftAt: z.date().optional(),
      movedBy: actorSchema,
    }),
  ),
  copiedFrom: linkView.optional(),
  copies: z.array(linkView),
  sourceLeadId: z.string().optional(),
  conversion: z
    .object({
      contactId: z.string().optional(),
      companyId: z.string().optional(),
      dealId: z.string().optional(),
      convertedAt: z.date().optional(),
    })
    .optional(),
  inboundLeadId: z.string().optional(),
  source: z.string().optional(),
  partner: z.string().optional(),
  createdBy: actorSchema,
  createdAt: z.date(),
  updatedAt: z.date(),
});

export type CreateDealInput = z.infer<typeof createDealSchema>;
export type DealListQuery = z.output<typeof dealListQuerySchema>;
export type DealView = z.infer<typeof dealViewSchema>;
