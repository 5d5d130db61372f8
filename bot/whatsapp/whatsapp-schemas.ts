import { z } from 'zod';
import { validationTexts } from '../../server/api/validation-texts.js';

const { say } = validationTexts;

/** The non-secret fields of one WhatsApp Business number. */
export const whatsappSettingsSchema = z.strictObject({
  /**
   * The Phone number ID from WhatsApp Manager / the app's API Setup page: the Cloud API addresses a
   * number by this id, never by the phone number itself, and webhooks carry it in value.metadata.
   */
  phoneNumberId: z
    .string({ error: say('whatsappPhoneIdRequired') })
    .trim()
    .regex(/^\d{1,30}$/, say('whatsappPhoneId')),
  /** The WhatsApp Business Account (WABA) id, for template management; sending does not need it. */
  businessAccountId: z
    .string()
    .trim()
    .regex(/^\d{1,30}$/, say('whatsappAccountId'))
    .optional(),
});
export type WhatsappSettings = z.infer<typeof whatsappSettingsSchema>;

export const whatsappSecretsSchema = z.strictObject({
  /** A System User token with whatsapp_business_messaging: sent as `Authorization: Bearer` to the Graph API. */
  accessToken: z
    .string({ error: say('whatsappTokenRequired') })
    .trim()
    .min(1, say('whatsappToken')),
  /** The Meta app's App Secret: the key of the x-hub-signature-256 HMAC on every webhook call. */
  appSecret: z
    .string({ error: say('whatsappAppSecretRequired') })
    .trim()
    .min(1, say('whatsappAppSecret')),
  /** Any string the admin also types into the app's webhook settings; Meta echoes it in the GET handshake. */
  verifyToken: z
    .string({ error: say('whatsappVerifyTokenRequired') })
    .trim()
    .min(1, say('whatsappVerifyToken')),
});
export type WhatsappSecrets = z.infer<typeof whatsappSecretsSchema>;
