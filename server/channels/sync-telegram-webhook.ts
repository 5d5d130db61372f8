import { registerTelegramWebhook } from '../../bot/telegram/register-telegram-webhook.js';
import { TelegramSandboxOffError } from '../../bot/telegram/telegram-api-root.js';
import {
  telegramSecretsSchema,
  telegramSettingsSchema,
  type TelegramSettings,
} from '../../bot/telegram/telegram-schemas.js';
import type { ApiServices } from '../api/api-services.js';
import { channelAccountModel, type ChannelWebhookState } from './channel-account-model.js';
import type { LoadedAccount } from './channel-accounts.js';

type SyncServices = Pick<ApiServices, 'db' | 'config' | 'channels' | 'logger' | 'demoTelegram'>;

/**
 * Tells Telegram where to deliver a bot's updates, with its secret token, whenever a bot in
 * webhook mode is connected or changed. Telegram only calls HTTPS URLs
 * (https://core.telegram.org/bots/api#setwebhook), so with a plain-HTTP PUBLIC_URL the admin is
 * told to use polling or register by hand. The demo's sandbox bot is registered with the app's own
 * sandbox instead, which delivers over plain HTTP to this server. The outcome is kept on the
 * account for the admin to see.
 */
export async function syncTelegramWebhook(
  services: SyncServices,
  accountId: string,
): Promise<ChannelWebhookState | undefined> {
  services.channels.invalidate(accountId);
  const account = await services.channels.get(accountId);
  if (!account || account.type !== 'telegram') return undefined;
  const settings = telegramSettingsSchema.parse(account.settings);
  const sandbox = account.sandbox ? services.demoTelegram : undefined;
  const url = sandbox
    ? sandbox.webhookUrl(account.id)
    : `${services.config.publicUrl.replace(/\/$/, '')}/hooks/telegram/${account.id}`;
  let state: ChannelWebhookState;
  if (settings.mode === 'polling') {
    state = { state: 'polling', at: new Date() };
  } else if (account.sandbox && !sandbox) {
    state = { state: 'failed', at: new Date(), error: new TelegramSandboxOffError().message };
  } else if (!sandbox && !url.startsWith('https://')) {
    state = {
      state: 'manual',
      at: new Date(),
      error: 'Telegram only delivers to https:// addresses: set PUBLIC_URL to the public HTTPS address, or use polling',
    };
  } else {
    state = await register(services, account, settings, sandbox?.apiRoot ?? services.config.TELEGRAM_API_ROOT, url);
  }
  await channelAccountModel(services.db).updateOne({ _id: accountId }, { $set: { webhook: state } });
  return state;
}

async function register(
  services: SyncServices,
  account: LoadedAccount,
  settings: TelegramSettings,
  apiRoot: string,
  url: string,
): Promise<ChannelWebhookState> {
  try {
    await registerTelegramWebhook(
      { ...account, settings, secrets: telegramSecretsSchema.parse(account.secrets) },
      apiRoot,
      url,
    );
    return { state: 'registered', at: new Date(), url };
  } catch (error) {
    services.logger.warn({ err: error, channel: account.id }, 'telegram setWebhook failed');
    return { state: 'failed', at: new Date(), error: error instanceof Error ? error.message : String(error) };
  }
}
