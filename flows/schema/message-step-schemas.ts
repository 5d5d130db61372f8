import { z } from 'zod';
import { flowFileTexts } from './flow-file-texts.js';
import {
  channelSchema,
  durationSchema,
  idSchema,
  localizedTextSchema,
  writablePathSchema,
} from './primitive-schemas.js';

const { say } = flowFileTexts;

const buttonTextSchema = z.strictObject({
  ru: z.string().trim().min(1, say('notEmpty')).max(64),
  en: z.string().trim().min(1, say('notEmpty')).max(64).optional(),
});

/** A quick reply (with an `id` the answer carries) or a link (`url`). */
export const buttonSchema = z
  .strictObject({
    id: idSchema.optional(),
    text: buttonTextSchema,
    url: z.url({ protocol: /^https?$/, error: say('httpLink') }).optional(),
  })
  .refine((button) => !(button.id && button.url), say('buttonReplyOrLink'));

/** How each channel shows the message; channels not named use the plain text. */
export const renderHintsSchema = z.strictObject({
  telegram: z
    .strictObject({
      parseMode: z.enum(['HTML', 'MarkdownV2']).optional(),
      disablePreview: z.boolean().optional(),
      buttonsPerRow: z.number().int().min(1).max(8).optional(),
    })
    .optional(),
  whatsapp: z.strictObject({ asList: z.boolean().optional(), listTitle: buttonTextSchema.optional() }).optional(),
  email: z.strictObject({ subject: localizedTextSchema }).optional(),
  sms: z.strictObject({ text: localizedTextSchema }).optional(),
});

/**
 * WhatsApp only lets a business write first with an approved template once 24 hours passed
 * since the client's last message (Cloud API "customer service window").
 */
export const whatsappTemplateSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, say('templateName')),
  language: z.string().regex(/^[a-z]{2}(_[A-Z]{2})?$/, say('languageCode')),
  params: z.array(z.string().max(1024)).max(20).default([]),
});

/** Where to write: the conversation the contact is in (default) or one channel. */
const sendChannelSchema = z.union([z.literal('conversation'), channelSchema]);

export const sendStepSchema = z.strictObject({
  type: z.literal('send'),
  id: idSchema,
  next: idSchema.optional(),
  text: localizedTextSchema,
  buttons: z.array(buttonSchema).max(10).optional(),
  channel: sendChannelSchema.default('conversation'),
  render: renderHintsSchema.optional(),
  whatsappTemplate: whatsappTemplateSchema.optional(),
  /** `ignore` for messages the client expects at any hour (a code, a confirmation). */
  quietHours: z.enum(['respect', 'ignore']).default('respect'),
});

export const ANSWER_TYPES = ['phone', 'email', 'number', 'choice', 'date', 'text', 'name'] as const;

export const askStepSchema = z
  .strictObject({
    type: z.literal('ask'),
    id: idSchema,
    next: idSchema.optional(),
    question: localizedTextSchema,
    answer: z.enum(ANSWER_TYPES),
    /** For `choice`: the options (each with an id); otherwise quick replies whose text is the answer. */
    buttons: z.array(buttonSchema).max(10).optional(),
    saveTo: writablePathSchema.optional(),
    /**
     * Not asked when `saveTo` already has a value (the client gave it earlier, in another answer or
     * in one long message, or the channel did): on by default so nobody is asked twice.
     */
    skipIfAnswered: z.boolean().default(true),
    /** How many more times to ask after an answer that does not fit. */
    retries: z.number().int().min(0).max(5).default(2),
    retryText: localizedTextSchema.optional(),
    timeout: durationSchema.optional(),
    reminder: z.strictObject({ after: durationSchema, text: localizedTextSchema }).optional(),
    /** Where to go when nobody answered in time; `next` when left out. */
    onTimeout: idSchema.optional(),
    /** Where to go when the retries ran out; `next` when left out. */
    onInvalid: idSchema.optional(),
    channel: sendChannelSchema.default('conversation'),
    quietHours: z.enum(['respect', 'ignore']).default('respect'),
  })
  .superRefine((step, ctx) => {
    if (step.answer === 'choice' && !step.buttons?.some((button) => button.id))
      ctx.addIssue({ code: 'custom', message: say('choiceNeedsIds'), path: ['answer'] });
    if (step.reminder && !step.timeout)
      ctx.addIssue({ code: 'custom', message: say('reminderNeedsTimeout'), path: ['reminder'] });
  });

export type SendStep = z.infer<typeof sendStepSchema>;
export type AskStep = z.infer<typeof askStepSchema>;
export type Button = z.infer<typeof buttonSchema>;
export type AnswerType = (typeof ANSWER_TYPES)[number];
