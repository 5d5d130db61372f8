import { Api } from 'grammy';
import type { TelegramAccount } from './telegram-adapter.js';
import { TELEGRAM_ALLOWED_UPDATES } from './telegram-update-schema.js';

/**
 * Points Telegram at our webhook URL for this bot. Telegram then sends the account's webhook secret
 * in every call, which verify checks; pending updates are kept so nothing sent meanwhile is lost
 * (https://core.telegram.org/bots/api#setwebhook).
 */
export async function registerTelegramWebhook(account: TelegramAccount, apiRoot: string, url: string): Promise<void> {
  const api = new Api(account.secrets.token, { apiRoot: apiRoot.replace(/\/+$/, '') });
  await api.setWebhook(url, {
    secret_token: account.secrets.webhookSecret,
    allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
    drop_pending_updates: false,
  });
}
