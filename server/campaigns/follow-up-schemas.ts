import { z } from 'zod';
import { validationTexts } from '../api/validation-texts.js';
import { stageIdSchema } from '../pipelines/pipeline-schema.js';
import { objectIdSchema } from '../users/user-schemas.js';

const { say } = validationTexts;

const flowIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, say('flowId'));

export const followUpSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('segment'), segmentId: objectIdSchema }),
  z.strictObject({ kind: z.literal('stage'), pipelineId: objectIdSchema, stageId: stageIdSchema }),
]);
export type FollowUpSourceInput = z.infer<typeof followUpSourceSchema>;

/** What a marketer sends to start a follow-up campaign. */
export const followUpInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  flowId: flowIdSchema,
  source: followUpSourceSchema,
  cost: z
    .strictObject({ amount: z.number().nonnegative().max(1e12), currency: z.string().regex(/^[A-Z]{3}$/) })
    .optional(),
});
export type FollowUpInput = z.infer<typeof followUpInputSchema>;

const localizedSchema = z.object({ ru: z.string(), en: z.string().optional() });

/** Counts of a campaign's runs, or of one split variant's. */
export const followUpCountsSchema = z.object({
  enrolled: z.number().int(),
  active: z.number().int(),
  completed: z.number().int(),
  /** Runs that ended at any goal (also counted per goal in `goals`). */
  reachedGoal: z.number().int(),
  /** Runs ended early for another reason, by reason (`left` is a stopped campaign, `stage-left`…). */
  exited: z.number().int(),
  /** Runs whose contact wrote in after being enrolled. */
  replied: z.number().int(),
  goals: z.record(z.string(), z.number().int()),
  exits: z.record(z.string(), z.number().int()),
});
export type FollowUpCounts = z.infer<typeof followUpCountsSchema>;

export const followUpResultsSchema = followUpCountsSchema.extend({
  variants: z.array(followUpCountsSchema.extend({ step: z.string(), variant: z.string() })),
});
export type FollowUpResults = z.infer<typeof followUpResultsSchema>;

/** A flow a follow-up campaign may run: enabled, with a `manual` trigger. */
export const followUpFlowSchema = z.object({
  id: z.string(),
  name: localizedSchema,
  runsPer: z.enum(['contact', 'deal']),
  goals: z.array(z.object({ id: z.string(), name: localizedSchema.optional() })),
  /** The ids of its split steps with their variants (the A/B tests it has). */
  splits: z.array(z.object({ step: z.string(), variants: z.array(z.string()) })),
});
export type FollowUpFlow = z.infer<typeof followUpFlowSchema>;

export const followUpViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  flowId: z.string(),
  flow: followUpFlowSchema.optional(),
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('segment'), segmentId: z.string(), segmentName: z.string().optional() }),
    z.object({
      kind: z.literal('stage'),
      pipelineId: z.string(),
      stageId: z.string(),
      pipelineName: z.string().optional(),
      stageName: z.string().optional(),
    }),
  ]),
  status: z.enum(['running', 'stopped']),
  cost: z.object({ amount: z.number(), currency: z.string() }).optional(),
  createdById: z.string(),
  startedAt: z.string(),
  stoppedAt: z.string().optional(),
  createdAt: z.string(),
  results: followUpResultsSchema,
});
export type FollowUpView = z.infer<typeof followUpViewSchema>;
