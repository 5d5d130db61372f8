import { z } from 'zod';
import { assigneeSchema } from './assignee-schema.js';
import { bookStepSchema } from './book-step-schema.js';
import { conditionSchema } from './condition-schema.js';
import { flowFileTexts } from './flow-file-texts.js';
import { askStepSchema, sendStepSchema } from './message-step-schemas.js';
import { momentSchema } from './moment-schema.js';
import {
  clockTimeSchema,
  durationSchema,
  idSchema,
  jsonSchema,
  localizedTextSchema,
  pathSchema,
  TASK_KINDS,
  weekdaySchema,
  writablePathSchema,
} from './primitive-schemas.js';
import { triggerSchema } from './trigger-schema.js';

const { say } = flowFileTexts;

/** Every step has an id; `next` names the following step, the next one in the list by default. */
const base = { id: idSchema, next: idSchema.optional() };

export const branchStepSchema = z.strictObject({
  type: z.literal('branch'),
  id: idSchema,
  /** The first branch whose condition holds wins. */
  branches: z.array(z.strictObject({ when: conditionSchema, next: idSchema })).min(1),
  /** Where to go when no branch holds; the next step in the list when left out. */
  otherwise: idSchema.optional(),
});

export const splitStepSchema = z.strictObject({
  type: z.literal('split'),
  id: idSchema,
  variants: z
    .array(z.strictObject({ id: idSchema, weight: z.number().int().min(0).max(100), next: idSchema }))
    .min(2)
    .refine((variants) => variants.some((variant) => variant.weight > 0), say('weightAboveZero')),
  /** Sticky: a contact gets the same variant every time it comes back. */
  sticky: z.boolean().default(true),
});

export const waitStepSchema = z
  .strictObject({
    type: z.literal('wait'),
    ...base,
    for: durationSchema.optional(),
    until: z
      .strictObject({
        field: pathSchema.optional(),
        date: z.iso.datetime({ offset: true, error: say('isoDateTime') }).optional(),
        before: durationSchema.optional(),
        after: durationSchema.optional(),
      })
      .refine((until) => (until.field === undefined) !== (until.date === undefined), say('fieldOrDate'))
      .refine((until) => !(until.before && until.after), say('beforeOrAfter'))
      .optional(),
    at: clockTimeSchema.optional(),
    weekdays: z.array(weekdaySchema).min(1).optional(),
  })
  .refine((step) => (step.for === undefined) !== (step.until === undefined), say('forOrUntil'));

export const waitForStepSchema = z.strictObject({
  type: z.literal('waitFor'),
  ...base,
  event: triggerSchema,
  /** Checked against the event and the records it brings. */
  when: conditionSchema.optional(),
  timeout: durationSchema,
  onTimeout: idSchema,
});

export const setFieldStepSchema = z
  .strictObject({
    type: z.literal('setField'),
    ...base,
    path: writablePathSchema,
    /** Text may use {{variables}}; "{{path}}" alone copies the value with its type. */
    value: jsonSchema.optional(),
    /** Adds to a number field instead. */
    increment: z.number().optional(),
  })
  .refine((step) => (step.value === undefined) !== (step.increment === undefined), say('valueOrIncrement'));

const tagsSchema = z.array(z.string().trim().min(1).max(50)).min(1);
export const addTagStepSchema = z.strictObject({ type: z.literal('addTag'), ...base, tags: tagsSchema });
export const removeTagStepSchema = z.strictObject({ type: z.literal('removeTag'), ...base, tags: tagsSchema });

export const moveStageStepSchema = z.strictObject({
  type: z.literal('moveStage'),
  ...base,
  /** The deal's own pipeline when left out. */
  pipeline: idSchema.optional(),
  stage: idSchema,
});

export const copyDealStepSchema = z.strictObject({
  type: z.literal('copyDeal'),
  ...base,
  pipeline: idSchema,
  /** The pipeline's first stage when left out. */
  stage: idSchema.optional(),
});

export const markWonStepSchema = z.strictObject({ type: z.literal('markWon'), ...base });
export const markLostStepSchema = z.strictObject({ type: z.literal('markLost'), ...base, reason: idSchema });

export const createTaskStepSchema = z.strictObject({
  type: z.literal('createTask'),
  ...base,
  title: localizedTextSchema,
  description: localizedTextSchema.optional(),
  kind: z.enum(TASK_KINDS).default('other'),
  assignee: assigneeSchema.default({ type: 'owner' }),
  due: momentSchema.optional(),
});

export const assignStepSchema = z.strictObject({
  type: z.literal('assign'),
  ...base,
  target: z.enum(['conversation', 'deal', 'both']).default('both'),
  assignee: assigneeSchema,
});

export const handoffStepSchema = z.strictObject({
  type: z.literal('handoff'),
  ...base,
  /** Who takes the conversation; the team's queue (whoever picks it up) when left out. */
  assignee: assigneeSchema.optional(),
  /** What the client is told, e.g. "Передаю вас менеджеру". */
  message: localizedTextSchema.optional(),
  /** What the person sees. */
  note: localizedTextSchema.optional(),
});

export const notifyStepSchema = z.strictObject({
  type: z.literal('notify'),
  ...base,
  to: assigneeSchema,
  text: localizedTextSchema,
});

export const webhookStepSchema = z.strictObject({
  type: z.literal('webhook'),
  ...base,
  url: z.url({ protocol: /^https?$/, error: say('httpUrl') }),
  method: z.enum(['POST', 'PUT', 'PATCH', 'GET']).default('POST'),
  headers: z.record(z.string(), z.string()).optional(),
  /** Strings may use {{variables}}. */
  body: jsonSchema.optional(),
});

export const enrollStepSchema = z.strictObject({ type: z.literal('enroll'), ...base, flow: idSchema });
export const leaveStepSchema = z.strictObject({ type: z.literal('leave'), ...base, flow: idSchema });
export const endStepSchema = z.strictObject({ type: z.literal('end'), id: idSchema });

export const stepSchema = z.discriminatedUnion('type', [
  sendStepSchema,
  askStepSchema,
  bookStepSchema,
  branchStepSchema,
  splitStepSchema,
  waitStepSchema,
  waitForStepSchema,
  setFieldStepSchema,
  addTagStepSchema,
  removeTagStepSchema,
  moveStageStepSchema,
  copyDealStepSchema,
  markWonStepSchema,
  markLostStepSchema,
  createTaskStepSchema,
  assignStepSchema,
  handoffStepSchema,
  notifyStepSchema,
  webhookStepSchema,
  enrollStepSchema,
  leaveStepSchema,
  endStepSchema,
]);

export type Step = z.infer<typeof stepSchema>;
export type StepType = Step['type'];
export type StepOf<T extends StepType> = Extract<Step, { type: T }>;
