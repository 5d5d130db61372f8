import { randomUUID } from 'node:crypto';
import type { ApiServices } from '../api/api-services.js';
import type { LoadedAccount } from './channel-accounts.js';

/** Something that reads one account until stopped (a Telegram poller, a mailbox reader). */
export interface AccountReader {
  stop(): Promise<void>;
}

export interface LeasedReadersOptions<Reader extends AccountReader> {
  /** Names the readers in logs, e.g. 'e-mail sync'. */
  what: string;
  /** Redis key prefix of the per-account lease, e.g. 'email:sync'. */
  leasePrefix: string;
  /** How long a lease outlives its last renewal: a crashed process frees its accounts after this. */
  leaseMs: number;
  reconcileEveryMs: number;
  /** The accounts that should be read now. */
  accounts(): Promise<LoadedAccount[]>;
  /** Starts reading one account; throws when its settings cannot be read. */
  start(account: LoadedAccount): Reader;
}

/**
 * What a reader of an account was started with: when it changes, the reader restarts, so new
 * secrets, settings or teams apply to what it reads next.
 */
function readerFingerprint(account: LoadedAccount): string {
  return JSON.stringify([account.secrets, account.settings, account.teamIds]);
}

// Renews the lease only while this process still holds it: one that lost it (a long pause, a
// partition) must stop reading rather than take it back from its new holder.
const RENEW_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * Long-running readers of channel accounts, each account read by one process at a time through a
 * Redis lease: every pass renews the leases held, stops readers whose account is gone, changed
 * (readerFingerprint) or whose lease was lost, and starts readers for accounts nobody holds.
 */
export class LeasedReaders<Reader extends AccountReader> {
  private readonly running = new Map<string, { reader: Reader; fingerprint: string }>();
  private readonly owner = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> = Promise.resolve();

  constructor(
    private readonly services: Pick<ApiServices, 'redis' | 'logger'>,
    private readonly options: LeasedReadersOptions<Reader>,
  ) {}

  start(): void {
    void this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), this.options.reconcileEveryMs);
    this.timer.unref();
  }

  reconcile(): Promise<void> {
    this.pass = this.pass
      .then(() => this.run())
      .catch((error: unknown) => {
        this.services.logger.error({ err: error }, `${this.options.what} reconcile failed`);
      });
    return this.pass;
  }

  private async run(): Promise<void> {
    const { leaseMs } = this.options;
    const redis = await this.services.redis.commands();
    const accounts = await this.options.accounts();
    const wanted = new Map(accounts.map((account) => [account.id, account]));
    for (const [id, entry] of this.running) {
      const account = wanted.get(id);
      const renewed = await redis.eval(RENEW_SCRIPT, 1, this.leaseKey(id), this.owner, String(leaseMs));
      if (account && renewed === 1 && readerFingerprint(account) === entry.fingerprint) continue;
      await this.stopOne(id);
    }
    for (const account of accounts) {
      if (this.running.has(account.id)) continue;
      const leased = await redis.set(this.leaseKey(account.id), this.owner, 'PX', leaseMs, 'NX');
      if (leased !== 'OK') continue;
      try {
        this.running.set(account.id, { reader: this.options.start(account), fingerprint: readerFingerprint(account) });
      } catch (error) {
        await redis.del(this.leaseKey(account.id));
        this.services.logger.error(
          { err: error, channel: account.id },
          `${this.options.what}: the account cannot be read`,
        );
      }
    }
  }

  private leaseKey(accountId: string): string {
    return `${this.options.leasePrefix}:${accountId}`;
  }

  private async stopOne(id: string): Promise<void> {
    const entry = this.running.get(id);
    this.running.delete(id);
    await entry?.reader.stop();
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
