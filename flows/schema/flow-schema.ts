import { z } from 'zod';
import { conditionSchema } from './condition-schema.js';
import { durationSchema, idSchema, nameSchema, timeZoneSchema } from './primitive-schemas.js';
import { stepSchema } from './step-schema.js';
import { triggerSchema } from './trigger-schema.js';
import { businessHoursSchema, quietHoursSchema, workspaceSchema } from './workspace-schema.js';

export const flowSchema = z.strictObject({
  id: idSchema,
  name: nameSchema,
  description: z.string().max(2000).optional(),
  /** Raised on every change; a running contact stays on the version it started with. */
  version: z
    .number()
    .int()
    .min(1)
    .describe('Raise on every change; running contacts finish on the version they started with'),
  enabled: z.boolean().default(true),
  /** One run per contact, or one per deal (a contact with two deals runs twice). */
  runsPer: z.enum(['contact', 'deal']).default('contact').describe('One run per contact, or one per deal'),
  /** Any of these starts a run. */
  triggers: z.array(triggerSchema).min(1).describe('Any of these starts a run'),
  /** Who may enter: checked when a trigger fires. */
  conditions: conditionSchema.optional().describe('Who may enter, checked when a trigger fires'),
  /** Reaching a goal ends the run; a contact that already meets one never enters. */
  goals: z.array(z.strictObject({ id: idSchema, name: nameSchema.optional(), when: conditionSchema })).default([]),
  exit: z
    .strictObject({
      /** Leave when the deal leaves the stage that started the run (moves the flow makes itself do not count). */
      stageLeft: z.boolean().default(false),
      /** Leave when the contact unsubscribes or blocks the bot. */
      optOut: z.boolean().default(true),
      /** Leave when a person takes the conversation over from the bot. */
      takeover: z.boolean().default(false),
      when: conditionSchema.optional(),
    })
    .default({ stageLeft: false, optOut: true, takeover: false }),
  reEnrollment: z
    .strictObject({
      /** never: once per contact/deal; afterExit: again once the last run ended; always: restart a running one. */
      policy: z.enum(['never', 'afterExit', 'always']).default('afterExit'),
      coolDown: durationSchema.optional(),
    })
    .default({ policy: 'afterExit' }),
  timeZone: timeZoneSchema.optional(),
  quietHours: quietHoursSchema.optional(),
  steps: z.array(stepSchema).min(1).describe('Run in order unless next or a branch says otherwise'),
});

/** A flow file: the workspace it sets up (pipelines, fields, teams, hours) and its flows. */
export const flowFileSchema = z.strictObject({
  $schema: z.string().optional(),
  /** The version of this file format. */
  format: z.literal(1),
  workspace: workspaceSchema,
  flows: z.array(flowSchema).default([]),
});

/**
 * What the engine runs and the executor stores per version: a flow with the workspace settings it
 * depends on filled in, so a pinned version keeps working when the workspace changes.
 */
export const flowDefinitionSchema = flowSchema.extend({
  timeZone: timeZoneSchema,
  language: z.enum(['ru', 'en']),
  businessHours: businessHoursSchema,
  quietHours: quietHoursSchema.optional(),
  /** Lost reasons' names by pipeline key and reason id: the stored deal keeps the name. */
  lostReasons: z.record(z.string(), z.record(z.string(), nameSchema)),
});

export type Flow = z.infer<typeof flowSchema>;
export type FlowFile = z.infer<typeof flowFileSchema>;
export type FlowFileInput = z.input<typeof flowFileSchema>;
export type FlowDefinition = z.infer<typeof flowDefinitionSchema>;
