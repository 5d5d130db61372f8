import { z } from 'zod';

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
        .regex(/^(?:club|public|-)?\d{1,12}$/, 'groupId is the community id: digits, or club… from its address')
        .transform((id) => Number(id.replace(/^\D+/, '')))
        .pipe(z.number().int().positive('groupId is a positive number')),
    ],
    { error: 'groupId is required: the numeric id of the VK community' },
  ),
  /**
   * The string VK expects back when it confirms the callback URL (Manage → API usage → Callback
   * API); VK shows it beside the address and may change it when the server settings change.
   */
  confirmationCode: z
    .string({ error: 'confirmationCode is required: the string VK shows under "String to be returned"' })
    .trim()
    .regex(/^[A-Za-z0-9]{1,64}$/, 'confirmationCode is the short string of letters and digits VK shows'),
});
export type VkSettings = z.infer<typeof vkSettingsSchema>;

export const vkSecretsSchema = z.strictObject({
  /** A community access token with the `messages` right (`photos` and `docs` too, to send files). */
  accessToken: z
    .string({ error: 'accessToken is required: a community access token with the messages right' })
    .trim()
    .min(1, 'accessToken is required: a community access token with the messages right'),
  /**
   * The Callback API "Secret key": VK puts it in the `secret` field of every event, which is the
   * only proof a request comes from VK (https://dev.vk.com/api/callback/getting-started).
   */
  secretKey: z
    .string({ error: 'secretKey is required: the same Secret key as in the Callback API settings' })
    .trim()
    .min(1, 'secretKey is required: the same Secret key as in the Callback API settings')
    .max(50, 'secretKey is at most 50 characters, as in the Callback API settings'),
});
export type VkSecrets = z.infer<typeof vkSecretsSchema>;
