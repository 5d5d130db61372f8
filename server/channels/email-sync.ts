import { randomUUID } from 'node:crypto';
import { emailSecretsSchema, emailSettingsSchema } from '../../bot/email/email-schemas.js';
import { startMailboxReader, type MailboxPosition, type MailboxReader } from '../../bot/email/mailbox-reader.js';
import type { ApiServices } from '../api/api-services.js';
import { channelAccountModel, type ChannelAccountRecord } from './channel-account-model.js';
import { readerFingerprint, type LoadedAccount } from './channel-accounts.js';
import { ingestEmail } from './ingest-email.js';

const RECONCILE_EVERY_MS = 5_000;
// One process reads each mailbox (two would each take every mail, and providers cap a login's
// connections); the lease outlives a missed renewal or two and frees the mailbox soon after a crash.
const LEASE_MS = 15_000;
/** First read of a new account: mail that came in shortly before it was connected counts too. */
const CONNECT_GRACE_MS = 5 * 60_000;

// Renews the lease only while this process still holds it: one that lost it (a long pause, a
// partition) must stop reading rather than take it back from its new holder.
const RENEW_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * Reads every connected mailbox, each in one process at a time (a Redis lease, as with Telegram
 * polling), and sends each mail down the channel spine. Where a mailbox has been read to (its
 * UIDVALIDITY and last UID) is kept on the channel account and moves only past mail that is
 * stored, so a restart neither loses nor repeats mail.
 */
export class EmailSyncManager {
  private readonly running = new Map<string, { reader: MailboxReader; fingerprint: string }>();
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
        this.services.logger.error({ err: error }, 'e-mail sync reconcile failed');
      });
    return this.pass;
  }

  private async run(): Promise<void> {
    const redis = await this.services.redis.commands();
    const accounts = await this.services.channels.listActive('email');
    const wanted = new Map(accounts.map((account) => [account.id, account]));
    for (const [id, entry] of this.running) {
      const account = wanted.get(id);
      const renewed = await redis.eval(RENEW_SCRIPT, 1, this.leaseKey(id), this.owner, String(LEASE_MS));
      if (account && renewed === 1 && readerFingerprint(account) === entry.fingerprint) continue;
      await this.stopOne(id);
    }
    for (const account of accounts) {
      if (this.running.has(account.id)) continue;
      const leased = await redis.set(this.leaseKey(account.id), this.owner, 'PX', LEASE_MS, 'NX');
      if (leased !== 'OK') continue;
      try {
        this.running.set(account.id, { reader: this.startOne(account), fingerprint: readerFingerprint(account) });
      } catch (error) {
        await redis.del(this.leaseKey(account.id));
        this.services.logger.error({ err: error, channel: account.id }, 'e-mail account settings cannot be read');
      }
    }
  }

  private startOne(account: LoadedAccount): MailboxReader {
    const settings = emailSettingsSchema.parse(account.settings);
    const Account = channelAccountModel(this.services.db);
    return startMailboxReader({
      account: { ...account, settings, secrets: emailSecretsSchema.parse(account.secrets) },
      load: async () => {
        const record = await Account.findById(account.id, { mailboxCursor: 1, createdAt: 1 }).lean<
          Pick<ChannelAccountRecord, 'mailboxCursor' | 'createdAt'>
        >();
        const cursor = record?.mailboxCursor?.mailbox === settings.mailbox ? record.mailboxCursor : undefined;
        const connectedAt = new Date((record?.createdAt ?? new Date()).getTime() - CONNECT_GRACE_MS);
        return {
          ...(cursor ? { position: cursor } : {}),
          // A renumbered folder is read again from the last mail taken; ingest absorbs what repeats.
          since: cursor?.lastReceivedAt ?? connectedAt,
        };
      },
      save: (position) => this.save(account.id, settings.mailbox, position),
      onMail: (mail) => ingestEmail(this.services, account, mail),
      onError: (error) => this.services.logger.warn({ err: error, channel: account.id }, 'e-mail sync error'),
    });
  }

  /** Moves the stored position forward only ($max): a slower process never moves it back. */
  private async save(accountId: string, mailbox: string, position: MailboxPosition): Promise<void> {
    const Account = channelAccountModel(this.services.db);
    const same = await Account.updateOne(
      { _id: accountId, 'mailboxCursor.mailbox': mailbox, 'mailboxCursor.uidValidity': position.uidValidity },
      {
        $max: { 'mailboxCursor.lastUid': position.lastUid },
        ...(position.lastReceivedAt ? { $set: { 'mailboxCursor.lastReceivedAt': position.lastReceivedAt } } : {}),
      },
    );
    if (same.matchedCount > 0) return;
    await Account.updateOne({ _id: accountId }, { $set: { mailboxCursor: { mailbox, ...position } } });
  }

  private leaseKey(accountId: string): string {
    return `email:sync:${accountId}`;
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
