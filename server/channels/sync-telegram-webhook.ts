import { registerTelegramWebhook } from '../../bot/telegram/register-telegram-webhook.js';
import { telegramSecretsSchema, telegramSettingsSchema } from '../../bot/telegram/telegram-schemas.js';
import type { ApiServices } from '../api/api-services.js';
import { channelAccountModel, type ChannelWebhookState } from './channel-account-model.js';

/**
 * Tells Telegram where to deliver a bot's updates, with its secret token, whenever a bot in
 * webhook mode is connected or changed. Telegram only calls HTTPS URLs
 * (https://core.telegram.org/bots/api#setwebhook), so with a plain-HTTP PUBLIC_URL the admin is
 * told to use polling or register by hand. The outcome is kept on the account for the admin to see.
 */
export async function syncTelegramWebhook(
  services: Pick<ApiServices, 'db' | 'config' | 'channels' | 'logger'>,
  accountId: string,
): Promise<ChannelWebhookState | undefined> {
  services.channels.invalidate(accountId);
  const account = await services.channels.get(accountId);
  if (!account || account.type !== 'telegram') return undefined;
  const settings = telegramSettingsSchema.parse(account.settings);
  const url = `${services.config.publicUrl.replace(/\/$/, '')}/hooks/telegram/${account.id}`;
  let state: ChannelWebhookState;
  if (settings.mode === 'polling') {
    state = { state: 'polling', at: new Date() };
  } else if (!url.startsWith('https://')) {
    state = {
      state: 'manual',
      at: new Date(),
      error: 'Telegram only delivers to https:// addresses: set PUBLIC_URL to the public HTTPS address, or use polling',
    };
  } else {
    try {
      await registerTelegramWebhook(
        { ...account, settings, secrets: telegramSecretsSchema.parse(account.secrets) },
        services.config.TELEGRAM_API_ROOT,
        url,
      );
      state = { state: 'registered', at: new Date(), url };
    } catch (error) {
      services.logger.warn({ err: error, channel: accountId }, 'telegram setWebhook failed');
      state = { state: 'failed', at: new Date(), error: error instanceof Error ? error.message : String(error) };
    }
  }
  await channelAccountModel(services.db).updateOne({ _id: accountId }, { $set: { webhook: state } });
  return state;
}
