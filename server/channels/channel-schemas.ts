import { z } from 'zod';
import { CHANNEL_TYPES } from '../../bot/channels/channel-registry.js';
import { validationTexts } from '../api/validation-texts.js';
import { objectIdSchema } from '../users/user-schemas.js';

const { say } = validationTexts;

/**
 * The envelope of a channel account request. The channel's own fields (token, phoneNumberId,
 * allowedOrigins…) sit beside these, flat, and are checked by that channel's adapter schemas.
 */
export const channelCreateSchema = z.looseObject({
  type: z.enum(CHANNEL_TYPES),
  name: z.string().trim().min(1).max(120),
  teamIds: z.array(objectIdSchema).max(50).optional(),
  ratePerSecond: z.number().int().min(1).max(1000).optional(),
});

export const channelUpdateSchema = z.looseObject({
  type: z.never({ error: say('channelType') }).optional(),
  name: z.string().trim().min(1).max(120).optional(),
  teamIds: z.array(objectIdSchema).max(50).optional(),
  ratePerSecond: z.number().int().min(1).max(1000).nullable().optional(),
});

export const channelViewSchema = z.object({
  id: z.string(),
  type: z.enum(CHANNEL_TYPES),
  name: z.string(),
  settings: z.record(z.string(), z.unknown()),
  /** Which secrets are set, each shown only by its last characters. */
  secrets: z.record(z.string(), z.string()),
  teamIds: z.array(z.string()),
  /** Messages per second the outbound queue lets through for this account. */
  ratePerSecond: z.number(),
  /** Where the provider must send its webhooks (absent for the site chat). */
  webhookUrl: z.string().optional(),
  /** Telegram: whether setWebhook succeeded (`manual` when PUBLIC_URL is not https). */
  webhookStatus: z
    .object({
      state: z.enum(['registered', 'failed', 'manual', 'polling']),
      at: z.string(),
      error: z.string().optional(),
    })
    .optional(),
  /** The demo's sandbox channel: the app's own stand-in of the provider, not the provider. */
  sandbox: z.boolean().optional(),
  /** The snippet to paste into a site (site chat only). */
  embedCode: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ChannelView = z.infer<typeof channelViewSchema>;
