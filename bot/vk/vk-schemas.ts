import { z } from 'zod';
import { validationTexts } from '../../server/api/validation-texts.js';

const { say } = validationTexts;

/** The non-secret fields of one VK community. */
export const vkSettingsSchema = z.strictObject({
  /**
   * The community's numeric id: every Callback API event carries it as `group_id`. Admins find it
   * in the community's address (vk.com/club123456) or under Manage → Settings → API usage, so
   * `club123456`, `public123456` and `-123456` are taken as well as the bare number.
   */
  groupId: z.union(
    [
      z.number().int().positive(),
      z
        .string()
        .trim()
        .regex(/^(?:club|public|-)?\d{1,12}$/, say('vkGroupIdFormat'))
        .transform((id) => Number(id.replace(/^\D+/, '')))
        .pipe(z.number().int().positive(say('vkGroupIdPositive'))),
    ],
    { error: say('vkGroupIdRequired') },
  ),
  /**
   * The string VK expects back when it confirms the callback URL (Manage → API usage → Callback
   * API); VK shows it beside the address and may change it when the server settings change.
   */
  confirmationCode: z
    .string({ error: say('vkConfirmationRequired') })
    .trim()
    .regex(/^[A-Za-z0-9]{1,64}$/, say('vkConfirmation')),
});
export type VkSettings = z.infer<typeof vkSettingsSchema>;

export const vkSecretsSchema = z.strictObject({
  /** A community access token with the `messages` right (`photos` and `docs` too, to send files). */
  accessToken: z
    .string({ error: say('vkToken') })
    .trim()
    .min(1, say('vkToken')),
  /**
   * The Callback API "Secret key": VK puts it in the `secret` field of every event, which is the
   * only proof a request comes from VK (https://dev.vk.com/api/callback/getting-started).
   */
  secretKey: z
    .string({ error: say('vkSecretKey') })
    .trim()
    .min(1, say('vkSecretKey'))
    .max(50, say('vkSecretKeyLength')),
});
export type VkSecrets = z.infer<typeof vkSecretsSchema>;
