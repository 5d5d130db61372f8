import { z } from 'zod';
import { validationTexts } from '../api/validation-texts.js';

const { say } = validationTexts;

export const PIPELINE_KINDS = ['leads', 'sales', 'other'] as const;
export const STAGE_KINDS = ['open', 'won', 'lost'] as const;

export const stageIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, say('stageId'));

/** A stage as clients send it: `id` keeps an existing stage (and the deals in it); a new one gets an id. */
export const stageInputSchema = z.strictObject({
  id: stageIdSchema.optional(),
  name: z.string().trim().min(1).max(100),
  kind: z.enum(STAGE_KINDS),
  order: z.number().int().min(0).optional(),
});

/**
 * Every pipeline ends in exactly one won and one lost stage (where closed deals land, so reports
 * can count them) and has at least one open stage for work in progress.
 */
export const stagesSchema = z
  .array(stageInputSchema)
  .min(3)
  .max(50)
  .superRefine((stages, ctx) => {
    const ids = stages.flatMap((stage) => (stage.id ? [stage.id] : []));
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: say('stageIdsUnique') });
    const count = (kind: (typeof STAGE_KINDS)[number]) => stages.filter((stage) => stage.kind === kind).length;
    if (count('open') < 1) ctx.addIssue({ code: 'custom', message: say('oneOpenStage') });
    if (count('won') !== 1) ctx.addIssue({ code: 'custom', message: say('oneWonStage') });
    if (count('lost') !== 1) ctx.addIssue({ code: 'custom', message: say('oneLostStage') });
  });

const lostReasonsSchema = z.array(z.string().trim().min(1).max(200)).max(100);

export const createPipelineSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(PIPELINE_KINDS),
  stages: stagesSchema,
  lostReasons: lostReasonsSchema.default([]),
});

/** The kind is fixed at creation: lead handling (qualify, convert) depends on it. */
export const updatePipelineSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  stages: stagesSchema.optional(),
  lostReasons: lostReasonsSchema.optional(),
  archived: z.boolean().optional(),
});

export const stageSchema = z.object({
  id: stageIdSchema,
  name: z.string(),
  kind: z.enum(STAGE_KINDS),
  order: z.number().int(),
});

export const pipelineViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(PIPELINE_KINDS),
  systemKey: z.string().optional(),
  stages: z.array(stageSchema),
  lostReasons: z.array(z.string()),
  archived: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export type StageInput = z.infer<typeof stageInputSchema>;
export type Stage = z.infer<typeof stageSchema>;
export type PipelineKind = (typeof PIPELINE_KINDS)[number];
export type PipelineView = z.infer<typeof pipelineViewSchema>;
