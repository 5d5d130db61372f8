import { z } from 'zod';
import { validationTexts } from '../../server/api/validation-texts.js';
import type { ChannelAccount } from '../channels/channel-adapter.js';

const { say, sayWith } = validationTexts;

/** `https://Shop.Example/catalog` → `https://shop.example`: only the origin is compared with a browser's Origin header. */
const originSchema = z
  .string()
  .trim()
  .min(1, say('webchatOriginEmpty'))
  .max(300)
  .transform((value, ctx) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      ctx.addIssue({ code: 'custom', ...sayWith('webchatOrigin', { value }) });
      return z.NEVER;
    }
    return url.origin;
  });

export const webchatSettingsSchema = z.strictObject({
  /** The sites the widget may run on: a browser elsewhere is refused, so the channel id alone is not enough to write in. */
  allowedOrigins: z
    .array(originSchema)
    .min(1, say('webchatOriginsSome'))
    .max(50, say('webchatOriginsMost'))
    .transform((origins) => [...new Set(origins)]),
  title: z.string().trim().min(1).max(80).optional(),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, say('webchatColor'))
    .optional(),
  greeting: z
    .strictObject({ ru: z.string().trim().max(500).optional(), en: z.string().trim().max(500).optional() })
    .optional(),
});
export type WebchatSettings = z.infer<typeof webchatSettingsSchema>;

/** The site chat has no provider and so no secrets: any field given is refused, so a mix-up shows. */
export const webchatSecretsSchema = z.record(z.string(), z.never());
export type WebchatSecrets = z.infer<typeof webchatSecretsSchema>;

export type WebchatAccount = ChannelAccount<WebchatSettings, WebchatSecrets>;
