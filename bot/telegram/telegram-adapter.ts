import { Api } from 'grammy';
import type { ChannelAccount, ChannelAdapter } from '../channels/channel-adapter.js';
import { SendError } from '../channels/channel-errors.js';
import { downloadTelegramFile } from './download-telegram-file.js';
import { parseTelegramUpdate } from './parse-telegram-update.js';
import { sendTelegramMessage } from './telegram-send.js';
import {
  telegramSecretsSchema,
  telegramSettingsSchema,
  type TelegramSecrets,
  type TelegramSettings,
} from './telegram-schemas.js';
import { telegramApiRootOf, TelegramSandboxOffError, type TelegramApiRoots } from './telegram-api-root.js';
import { verifyTelegramSecret } from './verify-telegram-secret.js';

export type TelegramAccount = ChannelAccount<TelegramSettings, TelegramSecrets>;

/**
 * apiRoot: https://api.telegram.org, a local Bot API server or a test stand-in; sandboxApiRoot: the
 * demo's Telegram sandbox, which the demo's own bot (an account with `sandbox`) talks to.
 */
export type TelegramAdapterOptions = TelegramApiRoots;

/** The Telegram bot channel: webhook updates in, Bot API calls out, all through grammy's Api. */
export function createTelegramAdapter(
  roots: TelegramAdapterOptions,
): ChannelAdapter<TelegramSettings, TelegramSecrets> {
  const apiOf = (account: TelegramAccount) =>
    new Api(account.secrets.token, { apiRoot: telegramApiRootOf(account, roots) });

  return {
    type: 'telegram',
    capabilities: {
      // Inline keyboards allow up to 100 buttons (https://core.telegram.org/bots/api#inlinekeyboardmarkup).
      maxButtons: 100,
      maxButtonTextLength: 64,
      // sendMessage text is 1-4096 characters (https://core.telegram.org/bots/api#sendmessage).
      maxTextLength: 4096,
      media: true,
      // About one message per second in one chat, about 30 per second in all
      // (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
      perChatIntervalMs: 1000,
      defaultRatePerSecond: 30,
      // STOP, СТОП, /stop…: opt-out holds on every channel a person can write on, not just SMS.
      optOutKeywords: 'chat',
    },
    settingsSchema: telegramSettingsSchema,
    secretsSchema: telegramSecretsSchema,

    verify(request, account) {
      verifyTelegramSecret(request, account.secrets.webhookSecret);
    },

    parse(request) {
      return parseTelegramUpdate(request.rawBody);
    },

    send(message, context, account) {
      if (account.sandbox && !roots.sandboxApiRoot) {
        return Promise.reject(new SendError('permanent', new TelegramSandboxOffError().message));
      }
      return sendTelegramMessage(apiOf(account), message, context);
    },

    downloadMedia(fileRef, account) {
      return downloadTelegramFile(apiOf(account), telegramApiRootOf(account, roots), account.secrets.token, fileRef);
    },

    async afterIngest(events, account) {
      // Until answered, the tapped button shows a spinner (https://core.telegram.org/bots/api#answercallbackquery).
      const callbackIds = events.flatMap((event) =>
        event.type === 'message' && event.content.kind === 'button' && event.externalMessageId.startsWith('callback:')
          ? [event.externalMessageId.slice('callback:'.length)]
          : [],
      );
      if (callbackIds.length === 0) return;
      const api = apiOf(account);
      await Promise.all(callbackIds.map((id) => api.answerCallbackQuery(id)));
    },
  };
}
