import { z } from 'zod';

/** The non-secret fields of one WhatsApp Business number. */
export const whatsappSettingsSchema = z.strictObject({
  /**
   * The Phone number ID from WhatsApp Manager / the app's API Setup page: the Cloud API addresses a
   * number by this id, never by the phone number itself, and webhooks carry it in value.metadata.
   */
  phoneNumberId: z
    .string({ error: 'phoneNumberId is required' })
    .trim()
    .regex(/^\d{1,30}$/, 'phoneNumberId is the numeric Phone number ID from WhatsApp Manager, not the phone number'),
  /** The WhatsApp Business Account (WABA) id, for template management; sending does not need it. */
  businessAccountId: z
    .string()
    .trim()
    .regex(/^\d{1,30}$/, 'businessAccountId is the numeric WhatsApp Business Account ID')
    .optional(),
});
export type WhatsappSettings = z.infer<typeof whatsappSettingsSchema>;

export const whatsappSecretsSchema = z.strictObject({
  /** A System User token with whatsapp_business_messaging: sent as `Authorization: Bearer` to the Graph API. */
  accessToken: z
    .string({ error: 'accessToken is required' })
    .trim()
    .min(1, 'accessToken is required: a System User access token with whatsapp_business_messaging permission'),
  /** The Meta app's App Secret: the key of the x-hub-signature-256 HMAC on every webhook call. */
  appSecret: z
    .string({ error: 'appSecret is required' })
    .trim()
    .min(1, 'appSecret is required: the App Secret from the Meta app settings, it signs every webhook'),
  /** Any string the admin also types into the app's webhook settings; Meta echoes it in the GET handshake. */
  verifyToken: z
    .string({ error: 'verifyToken is required' })
    .trim()
    .min(1, 'verifyToken is required: the same Verify token as in the Meta app webhook settings'),
});
export type WhatsappSecrets = z.infer<typeof whatsappSecretsSchema>;
