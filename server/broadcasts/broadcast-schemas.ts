import { z } from 'zod';
import { listTemplateRefs, isValidTemplateRef } from '../../flows/engine/render-template.js';
import { validationTexts } from '../api/validation-texts.js';
import { objectIdSchema, timeZoneSchema } from '../users/user-schemas.js';
import { BROADCAST_CHANNELS } from './broadcast-model.js';
import { RECIPIENT_STATUSES } from './broadcast-recipient-model.js';

const { say } = validationTexts;

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, say('clockTime'));

/** A text with `{{contact.name | default: друг}}` placeholders the renderer understands. */
const personalText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((text) => listTemplateRefs(text).every(isValidTemplateRef), say('placeholder'));

export const broadcastChannelSchema = z.enum(BROADCAST_CHANNELS);

export const broadcastVariantsSchema = z
  .strictObject({
    telegram: z
      .strictObject({
        text: personalText(4096),
        buttons: z
          .array(z.strictObject({ text: z.string().trim().min(1).max(64), url: z.url({ protocol: /^https?$/ }) }))
          .max(10)
          .optional(),
        mediaFileId: objectIdSchema.optional(),
      })
      .optional(),
    whatsapp: z
      .strictObject({
        text: personalText(4096).optional(),
        template: z
          .strictObject({
            name: z.string().trim().min(1).max(512),
            language: z.string().trim().min(2).max(15),
            parameters: z.array(z.string().max(1024)).max(20).default([]),
          })
          .optional(),
      })
      .refine((variant) => variant.text || variant.template, say('whatsappVariant'))
      .optional(),
    sms: z.strictObject({ text: personalText(1600) }).optional(),
    email: z
      .strictObject({
        subject: personalText(300),
        html: z.string().trim().min(1).max(200_000),
        text: z.string().trim().max(100_000).optional(),
      })
      .optional(),
    webchat: z.strictObject({ text: personalText(4096) }).optional(),
  })
  .refine((variants) => Object.values(variants).some(Boolean), say('someChannel'));

export const broadcastInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  segmentId: objectIdSchema,
  variants: broadcastVariantsSchema,
  channelOrder: z
    .array(broadcastChannelSchema)
    .min(1)
    .max(BROADCAST_CHANNELS.length)
    .refine((order) => new Set(order).size === order.length, say('channelTwice'))
    .default([...BROADCAST_CHANNELS]),
  accounts: z.partialRecord(broadcastChannelSchema, objectIdSchema).optional(),
  schedule: z.strictObject({ at: z.iso.datetime({ offset: true }) }).optional(),
  quietHours: z
    .strictObject({ from: clockTime, to: clockTime })
    .refine((hours) => hours.from !== hours.to, say('quietHours'))
    .optional(),
  timeZone: timeZoneSchema.optional(),
  cost: z
    .strictObject({ amount: z.number().nonnegative().max(1e12), currency: z.string().regex(/^[A-Z]{3}$/) })
    .optional(),
});
export type BroadcastInput = z.infer<typeof broadcastInputSchema>;

export const broadcastChangeSchema = broadcastInputSchema.partial();

export const recipientsQuerySchema = z.strictObject({
  status: z.enum(RECIPIENT_STATUSES).optional(),
  channel: broadcastChannelSchema.optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const testSendSchema = z.strictObject({ contactId: objectIdSchema });
