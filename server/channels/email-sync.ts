import { emailSecretsSchema, emailSettingsSchema } from '../../bot/email/email-schemas.js';
import { startMailboxReader, type MailboxPosition, type MailboxReader } from '../../bot/email/mailbox-reader.js';
import type { ApiServices } from '../api/api-services.js';
import { channelAccountModel, type ChannelAccountRecord } from './channel-account-model.js';
import type { LoadedAccount } from './channel-accounts.js';
import { ingestEmail } from './ingest-email.js';
import { LeasedReaders } from './leased-readers.js';

// One process reads each mailbox (two would each take every mail, and providers cap a login's
// connections); the lease outlives a missed renewal or two and frees the mailbox soon after a crash.
const LEASE_MS = 15_000;
/** First read of a new account: mail that came in shortly before it was connected counts too. */
const CONNECT_GRACE_MS = 5 * 60_000;

/**
 * Reads every connected mailbox, each in one process at a time (LeasedReaders, as with Telegram
 * polling), and sends each mail down the channel spine. Where a mailbox has been read to (its
 * UIDVALIDITY and last UID) is kept on the channel account and moves only past mail that is
 * stored, so a restart neither loses nor repeats mail.
 */
export function createEmailSync(services: ApiServices): LeasedReaders<MailboxReader> {
  return new LeasedReaders(services, {
    what: 'e-mail sync',
    leasePrefix: 'email:sync',
    leaseMs: LEASE_MS,
    reconcileEveryMs: 5_000,
    accounts: () => services.channels.listActive('email'),
    start: (account) => startReading(services, account),
  });
}

function startReading(services: ApiServices, account: LoadedAccount): MailboxReader {
  const settings = emailSettingsSchema.parse(account.settings);
  const Account = channelAccountModel(services.db);
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
    save: (position) => savePosition(services, account.id, settings.mailbox, position),
    onMail: (mail) => ingestEmail(services, account, mail),
    onError: (error) => services.logger.warn({ err: error, channel: account.id }, 'e-mail sync error'),
  });
}

/** Moves the stored position forward only ($max): a slower process never moves it back. */
async function savePosition(
  services: ApiServices,
  accountId: string,
  mailbox: string,
  position: MailboxPosition,
): Promise<void> {
  const Account = channelAccountModel(services.db);
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
