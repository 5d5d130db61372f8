import { z } from 'zod';
import { flowFileTexts } from './flow-file-texts.js';
import {
  channelSchema,
  clockTimeSchema,
  durationSchema,
  idSchema,
  isValidRegex,
  pathSchema,
  scalarSchema,
  TASK_KINDS,
} from './primitive-schemas.js';

const { say } = flowFileTexts;

const regexSchema = z.string().min(1).refine(isValidRegex, say('badRegex'));

export const messageReceivedTriggerSchema = z.strictObject({
  type: z.literal('message.received'),
  /** `first`: only the contact's first message in a conversation; `each`: every message. */
  mode: z.enum(['first', 'each']).default('each'),
  channels: z.array(channelSchema).min(1).optional(),
  /** Any of these words or phrases, case-insensitive (ё = е). */
  keywords: z.array(z.string().trim().min(1)).min(1).optional(),
  regex: regexSchema.optional(),
  /** Telegram deep link `t.me/bot?start=<payload>`; a trailing * matches a prefix ("ad-*"). */
  startPayload: z.string().min(1).max(64).optional(),
});

export const messageSentTriggerSchema = z.strictObject({
  type: z.literal('message.sent'),
  /** Who answered: a person in the inbox, the bot, or any. */
  by: z.enum(['operator', 'bot', 'any']).default('operator'),
  channels: z.array(channelSchema).min(1).optional(),
});

export const stageEnteredTriggerSchema = z.strictObject({
  type: z.literal('stage.entered'),
  pipeline: idSchema,
  /** Any stage of the pipeline when left out. */
  stage: idSchema.optional(),
  /** Also start for deals already in the stage when the flow is switched on. */
  includeExisting: z.boolean().default(false),
});

export const stageLeftTriggerSchema = z.strictObject({
  type: z.literal('stage.left'),
  pipeline: idSchema,
  stage: idSchema.optional(),
});

export const fieldChangedTriggerSchema = z.strictObject({
  type: z.literal('field.changed'),
  field: pathSchema,
  from: scalarSchema.optional(),
  to: scalarSchema.optional(),
});

export const formSubmittedTriggerSchema = z.strictObject({
  type: z.literal('form.submitted'),
  /** The form's key; any form when left out. */
  form: z.string().min(1).max(100).optional(),
});

export const leadCreatedTriggerSchema = z.strictObject({
  type: z.literal('lead.created'),
  /**
   * Where the lead came from; any when left out. Leads are named `form:<form name>` and
   * `<kind>:<partner>`: a kind alone (`form`, `exhibition`, `partner`) takes every lead of that kind.
   */
  sources: z.array(z.string().min(1)).min(1).optional(),
});

export const paymentReceivedTriggerSchema = z.strictObject({ type: z.literal('payment.received') });
export const paymentOverdueTriggerSchema = z.strictObject({ type: z.literal('payment.overdue') });

/** A moment relative to a date field: `before: 3d` of `installment.dueAt`, `at: "10:00"` that day. */
export const dateTriggerSchema = z
  .strictObject({
    type: z.literal('date'),
    field: pathSchema,
    before: durationSchema.optional(),
    after: durationSchema.optional(),
    at: clockTimeSchema.optional(),
  })
  .refine((trigger) => !(trigger.before && trigger.after), say('beforeOrAfter'));

export const taskOverdueTriggerSchema = z.strictObject({
  type: z.literal('task.overdue'),
  kinds: z.array(z.enum(TASK_KINDS)).min(1).optional(),
});

export const taskCompletedTriggerSchema = z.strictObject({
  type: z.literal('task.completed'),
  kinds: z.array(z.enum(TASK_KINDS)).min(1).optional(),
});

export const noReplyTriggerSchema = z.strictObject({
  type: z.literal('noReply'),
  /** `client`: we wrote last and the client is silent; `operator`: the client wrote last and nobody answered. */
  waiting: z.enum(['client', 'operator']),
  after: durationSchema,
});

export const appointmentUpcomingTriggerSchema = z.strictObject({
  type: z.literal('appointment.upcoming'),
  before: durationSchema,
});

export const manualTriggerSchema = z.strictObject({ type: z.literal('manual') });

export const webhookTriggerSchema = z.strictObject({
  type: z.literal('webhook'),
  /** The last part of the inbound URL: POST /api/flows/webhooks/<key>. */
  key: idSchema,
});

export const conversationTakenOverTriggerSchema = z.strictObject({ type: z.literal('conversation.takenOver') });

export const triggerSchema = z.discriminatedUnion('type', [
  messageReceivedTriggerSchema,
  messageSentTriggerSchema,
  stageEnteredTriggerSchema,
  stageLeftTriggerSchema,
  fieldChangedTriggerSchema,
  formSubmittedTriggerSchema,
  leadCreatedTriggerSchema,
  paymentReceivedTriggerSchema,
  paymentOverdueTriggerSchema,
  dateTriggerSchema,
  taskOverdueTriggerSchema,
  taskCompletedTriggerSchema,
  noReplyTriggerSchema,
  appointmentUpcomingTriggerSchema,
  manualTriggerSchema,
  webhookTriggerSchema,
  conversationTakenOverTriggerSchema,
]);

export type Trigger = z.infer<typeof triggerSchema>;
export type TriggerType = Trigger['type'];
export type DateTrigger = z.infer<typeof dateTriggerSchema>;
export type NoReplyTrigger = z.infer<typeof noReplyTriggerSchema>;
export type AppointmentUpcomingTrigger = z.infer<typeof appointmentUpcomingTriggerSchema>;
