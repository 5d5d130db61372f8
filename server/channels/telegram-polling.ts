import { randomUUID } from 'node:crypto';
import { startTelegramPolling, type TelegramPolling } from '../../bot/telegram/telegram-poller.js';
import { telegramSettingsSchema, telegramSecretsSchema } from '../../bot/telegram/telegram-schemas.js';
import type { ApiServices } from '../api/api-services.js';
import { ingestEvents } from '../messaging/ingest-events.js';
import { readerFingerprint, type LoadedAccount } from './channel-accounts.js';

const RECONCILE_EVERY_MS = 10_000;
// Telegram answers 409 to a second getUpdates for one bot, so one process polls each bot; the
// lease outlives a missed renewal or two and frees the bot soon after a crash.
const LEASE_MS = 30_000;

/**
 * Long polling for Telegram bots set to `mode: 'polling'` (development without a public URL).
 * Updates take the webhook's path: verify, parse, ingest; the poller moves its offset only after
 * ingest resolved, so a crash loses nothing.
 */
export class TelegramPollingManager {
  private readonly running = new Map<string, { polling: TelegramPolling; token: string }>();
  private readonly owner = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> = Promise.resolve();

  constructor(private readonly services: ApiServices) {}

  start(): void {
    void this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), RECONCILE_EVERY_MS);
    this.timer.unref();
  }

  reconcile(): Promise<void> {
    this.pass = this.pass
      .then(() => this.run())
      .catch((error: unknown) => {
        this.services.logger.error({ err: error }, 'telegram polling reconcile failed');
      });
    return this.pass;
  }

  private async run(): Promise<void> {
    const redis = await this.services.redis.commands();
    const accounts = (await this.services.channels.listActive('telegram')).filter(
      (account) => account.settings.mode === 'polling',
    );
    const wanted = new Map(accounts.map((account) => [account.id, account]));
    for (const [id, entry] of this.running) {
      const account = wanted.get(id);
      if (account && readerFingerprint(account) === entry.token) {
        await redis.set(this.leaseKey(id), this.owner, 'PX', LEASE_MS, 'XX');
        continue;
      }
      await this.stopOne(id);
    }
    for (const account of accounts) {
      if (this.running.has(account.id)) continue;
      const leased = await redis.set(this.leaseKey(account.id), this.owner, 'PX', LEASE_MS, 'NX');
      if (leased !== 'OK') continue;
      this.running.set(account.id, { polling: this.startOne(account), token: readerFingerprint(account) });
    }
  }

  private startOne(account: LoadedAccount): TelegramPolling {
    return startTelegramPolling({
      account: {
        ...account,
        settings: telegramSettingsSchema.parse(account.settings),
        secrets: telegramSecretsSchema.parse(account.secrets),
      },
      apiRoot: this.services.config.TELEGRAM_API_ROOT,
      onUpdate: async (request) => {
        account.adapter.verify(request, account);
        const events = account.adapter.parse(request, account);
        await ingestEvents(this.services, account, events);
        account.adapter.afterIngest?.(events, account).catch(() => undefined);
      },
      onError: (error) => this.services.logger.warn({ err: error, channel: account.id }, 'telegram polling error'),
    });
  }

  private leaseKey(accountId: string): string {
    return `telegram:polling:${accountId}`;
  }

  private async stopOne(id: string): Promise<void> {
    const entry = this.running.get(id);
    this.running.delete(id);
    await entry?.polling.stop();
    const redis = await this.services.redis.commands();
    // Release only our own lease: another process may hold it by now.
    if ((await redis.get(this.leaseKey(id))) === this.owner) await redis.del(this.leaseKey(id));
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.pass;
    await Promise.all([...this.running.keys()].map((id) => this.stopOne(id).catch(() => undefined)));
  }
}
