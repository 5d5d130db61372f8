import { startTelegramPolling, type TelegramPolling } from '../../bot/telegram/telegram-poller.js';
import { telegramApiRootOf } from '../../bot/telegram/telegram-api-root.js';
import { telegramSettingsSchema, telegramSecretsSchema } from '../../bot/telegram/telegram-schemas.js';
import type { ApiServices } from '../api/api-services.js';
import { ingestEvents } from '../messaging/ingest-events.js';
import type { LoadedAccount } from './channel-accounts.js';
import { LeasedReaders } from './leased-readers.js';

// Telegram answers 409 to a second getUpdates for one bot, so one process polls each bot; the
// lease outlives a missed renewal or two and frees the bot soon after a crash.
const LEASE_MS = 30_000;

/**
 * Long polling for Telegram bots set to `mode: 'polling'` (development without a public URL), one
 * process per bot (LeasedReaders). Updates take the webhook's path: verify, parse, ingest; the
 * poller moves its offset only after ingest resolved, so a crash loses nothing.
 */
export function createTelegramPolling(services: ApiServices): LeasedReaders<TelegramPolling> {
  return new LeasedReaders(services, {
    what: 'telegram polling',
    leasePrefix: 'telegram:polling',
    leaseMs: LEASE_MS,
    reconcileEveryMs: 10_000,
    accounts: async () =>
      (await services.channels.listActive('telegram')).filter((account) => account.settings.mode === 'polling'),
    start: (account) => startPolling(services, account),
  });
}

function startPolling(services: ApiServices, account: LoadedAccount): TelegramPolling {
  return startTelegramPolling({
    account: {
      ...account,
      settings: telegramSettingsSchema.parse(account.settings),
      secrets: telegramSecretsSchema.parse(account.secrets),
    },
    apiRoot: telegramApiRootOf(account, {
      apiRoot: services.config.TELEGRAM_API_ROOT,
      ...(services.demoTelegram ? { sandboxApiRoot: services.demoTelegram.apiRoot } : {}),
    }),
    onUpdate: async (request) => {
      account.adapter.verify(request, account);
      const events = account.adapter.parse(request, account);
      await ingestEvents(services, account, events);
      account.adapter.afterIngest?.(events, account).catch(() => undefined);
    },
    onError: (error) => services.logger.warn({ err: error, channel: account.id }, 'telegram polling error'),
  });
}
