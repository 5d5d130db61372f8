import { z } from 'zod';
import { validationTexts } from '../../server/api/validation-texts.js';

const { say } = validationTexts;

/** The non-secret fields of a Telegram bot account. */
export const telegramSettingsSchema = z.strictObject({
  /** The bot's @username, shown to admins and used to build t.me deep links. */
  botUsername: z
    .string()
    .trim()
    .regex(/^@?[A-Za-z][A-Za-z0-9_]{4,31}$/, say('telegramUsername'))
    .transform((username) => username.replace(/^@/, ''))
    .optional(),
  /** webhook: Telegram calls us (needs a public HTTPS URL); polling: we call getUpdates (development). */
  mode: z.enum(['webhook', 'polling']).default('webhook'),
});
export type TelegramSettings = z.infer<typeof telegramSettingsSchema>;

export const telegramSecretsSchema = z.strictObject({
  /** The token @BotFather gives: `<bot id>:<secret>` (https://core.telegram.org/bots/api#authorizing-your-bot). */
  token: z
    .string({ error: say('telegramTokenRequired') })
    .trim()
    .regex(/^\d+:[A-Za-z0-9_-]{30,}$/, say('telegramToken')),
  /**
   * Sent back by Telegram in X-Telegram-Bot-Api-Secret-Token on every webhook call; setWebhook
   * allows 1-256 characters of A-Z, a-z, 0-9, _ and - (https://core.telegram.org/bots/api#setwebhook).
   */
  webhookSecret: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, say('telegramWebhookSecret')),
});
export type TelegramSecrets = z.infer<typeof telegramSecretsSchema>;
