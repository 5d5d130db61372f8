import { z } from 'zod';
import { flowFileTexts } from './flow-file-texts.js';
import {
  clockTimeSchema,
  idSchema,
  localizedTextSchema,
  nameSchema,
  timeZoneSchema,
  weekdaySchema,
} from './primitive-schemas.js';

const { say } = flowFileTexts;

export const STAGE_KINDS = ['open', 'won', 'lost'] as const;
export const PIPELINE_KINDS = ['leads', 'sales', 'other'] as const;

export const stageSchema = z.strictObject({ id: idSchema, name: nameSchema, kind: z.enum(STAGE_KINDS) });

/**
 * The same rules as the stored pipelines (server/pipelines/pipeline-schema.ts): 3–50 stages,
 * unique ids, at least one open stage, exactly one won and one lost stage.
 */
export const pipelineSchema = z
  .strictObject({
    /** Stable key, stored as the pipeline's systemKey; flows refer to the pipeline by it. */
    key: idSchema,
    name: nameSchema,
    kind: z.enum(PIPELINE_KINDS),
    stages: z.array(stageSchema).min(3).max(50),
    lostReasons: z
      .array(z.strictObject({ id: idSchema, name: nameSchema }))
      .max(100)
      .default([]),
  })
  .superRefine((pipeline, ctx) => {
    const count = (kind: (typeof STAGE_KINDS)[number]) => pipeline.stages.filter((stage) => stage.kind === kind).length;
    if (count('open') < 1) ctx.addIssue({ code: 'custom', message: say('oneOpenStage'), path: ['stages'] });
    if (count('won') !== 1) ctx.addIssue({ code: 'custom', message: say('oneWonStage'), path: ['stages'] });
    if (count('lost') !== 1) ctx.addIssue({ code: 'custom', message: say('oneLostStage'), path: ['stages'] });
  });

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'select', 'multiselect', 'boolean'] as const;

/** Mirrors the custom field definitions (server/custom-fields/custom-field-schemas.ts). */
export const customFieldSchema = z
  .strictObject({
    entity: z.enum(['contact', 'company', 'deal']),
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, say('fieldKeyFormat')),
    label: nameSchema,
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: z
      .array(z.strictObject({ value: z.string().trim().min(1).max(100), label: nameSchema }))
      .max(200)
      .optional(),
  })
  .superRefine((field, ctx) => {
    const choice = field.type === 'select' || field.type === 'multiselect';
    if (choice && !field.options?.length)
      ctx.addIssue({ code: 'custom', message: say('choiceNeedsOptions'), path: ['type'] });
    if (!choice && field.options)
      ctx.addIssue({ code: 'custom', message: say('onlyChoiceOptions'), path: ['options'] });
  });

export const teamSchema = z.strictObject({ key: idSchema, name: nameSchema });

export const businessHoursSchema = z
  .array(
    z
      .strictObject({ days: z.array(weekdaySchema).min(1), from: clockTimeSchema, to: clockTimeSchema })
      .refine((interval) => interval.from < interval.to, say('intervalOrder')),
  )
  .min(1);

/** No client messages from `from` to `to` (may cross midnight) and all day on `days`. */
export const quietHoursSchema = z
  .strictObject({ from: clockTimeSchema, to: clockTimeSchema, days: z.array(weekdaySchema).max(6).optional() })
  .refine((quiet) => quiet.from !== quiet.to, say('quietHoursSame'));

export const workspaceSchema = z.strictObject({
  name: nameSchema,
  /** What kind of business the file sets up, shown where an admin picks a template. */
  description: localizedTextSchema.optional(),
  timeZone: timeZoneSchema.default('Europe/Moscow'),
  language: z.enum(['ru', 'en']).default('ru'),
  businessHours: businessHoursSchema.default([{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }]),
  quietHours: quietHoursSchema.optional(),
  pipelines: z.array(pipelineSchema).default([]),
  fields: z.array(customFieldSchema).default([]),
  teams: z.array(teamSchema).default([]),
});

export type Workspace = z.infer<typeof workspaceSchema>;
export type Pipeline = z.infer<typeof pipelineSchema>;
export type BusinessHours = z.infer<typeof businessHoursSchema>;
export type QuietHours = z.infer<typeof quietHoursSchema>;
