import { ImapFlow, type FetchMessageObject } from 'imapflow';
import type { EmailAccount } from './email-adapter.js';
import { sleepUnlessStopped } from '../channels/sleep-unless-stopped.js';

/** Where reading stands: the highest UID taken, valid only with the folder's UIDVALIDITY. */
export interface MailboxPosition {
  uidValidity: string;
  lastUid: number;
  lastReceivedAt?: Date;
}

export interface FetchedMail {
  uid: number;
  /** The raw RFC 5322 bytes; only the headers of a mail over the size limit. */
  source: Buffer;
  receivedAt: Date;
  /** Set when the mail was too large to fetch whole. */
  truncated: boolean;
}

export interface MailboxReaderOptions {
  account: EmailAccount;
  /**
   * The stored position, and the moment to read from when it does not apply (a first read, or a
   * folder whose UIDVALIDITY changed): mail received since then is read.
   */
  load(): Promise<{ position?: MailboxPosition; since: Date }>;
  /** Stores the position; called only after `onMail` of that mail resolved. */
  save(position: MailboxPosition): Promise<void>;
  /** Takes one mail; resolves once it is durable. A throw stops the pass: the mail is read again later. */
  onMail(mail: FetchedMail): Promise<void>;
  onError?(error: unknown): void;
  /** How often the folder is checked when IDLE brings no news (a server without IDLE, a lost notice). */
  pollMs?: number;
  /** Mails larger than this are taken by their headers only. */
  maxMailBytes?: number;
}

export interface MailboxReader {
  /** Ends reading; resolves once the mail being taken, if any, is done. */
  stop(): Promise<void>;
}

const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;
const DEFAULT_POLL_MS = 60_000;
// Servers end IDLE after 29 minutes at most (RFC 9051 section 6.3.13), NAT boxes sooner.
const IDLE_RESTART_MS = 4 * 60_000;
const DEFAULT_MAX_MAIL_BYTES = 64 * 1024 * 1024;

/**
 * Reads a mailbox folder with imapflow: everything past the stored UID, then waits in IDLE
 * (RFC 2177) for news, checking every `pollMs` anyway. The position moves past a mail only after
 * `onMail` resolved, so a crash reads it again (ingest absorbs the repeat) and never skips one.
 */
export function startMailboxReader(options: MailboxReaderOptions): MailboxReader {
  const controller = new AbortController();
  const { signal } = controller;
  const { settings, secrets } = options.account;
  let current: ImapFlow | undefined;

  const session = async (): Promise<void> => {
    const client = new ImapFlow({
      host: settings.imapHost,
      port: settings.imapPort,
      secure: settings.imapSecure,
      auth: { user: settings.username, pass: secrets.password },
      logger: false,
      disableAutoIdle: true,
      maxIdleTime: IDLE_RESTART_MS,
      connectionTimeout: 30_000,
      greetingTimeout: 20_000,
    });
    current = client;
    // An 'error' event nobody listens to would end the process; the failing command throws anyway.
    client.on('error', (error: unknown) => options.onError?.(error));
    const news = new Wakeup();
    client.on('exists', () => news.ring());
    client.on('close', () => news.ring());
    try {
      await client.connect();
      const mailbox = await client.mailboxOpen(settings.mailbox);
      const uidValidity = String(mailbox.uidValidity);
      let lastUid = await startingUid(client, uidValidity, mailbox.uidNext);
      while (!signal.aborted) {
        if (!client.usable) throw new Error('The IMAP connection closed');
        lastUid = await readPast(client, uidValidity, lastUid);
        if (signal.aborted) return;
        // IDLE lasts until the next command; logging out ends it too.
        void client.idle().catch(() => undefined);
        await news.wait(options.pollMs ?? DEFAULT_POLL_MS, signal);
      }
    } finally {
      current = undefined;
      await client.logout().catch(() => client.close());
    }
  };

  /** The UID to read past: the stored one, or after a fresh scan of what arrived since `since`. */
  const startingUid = async (client: ImapFlow, uidValidity: string, uidNext: number): Promise<number> => {
    const { position, since } = await options.load();
    if (position?.uidValidity === uidValidity) return position.lastUid;
    // IMAP's SINCE compares dates only (RFC 9051 section 6.4.4): take the day before, then the exact time.
    const found = await client.search({ since: new Date(since.getTime() - 24 * 3600_000) }, { uid: true });
    const uids = (found || []).filter((uid) => uid < uidNext);
    const list =
      uids.length > 0 ? await client.fetchAll(uids.join(','), { uid: true, internalDate: true }, { uid: true }) : [];
    const recent = list.filter((message) => receivedAt(message).getTime() >= since.getTime());
    await takeAll(client, uidValidity, recent);
    if (signal.aborted) return uidNext - 1;
    // Older mail below UIDNEXT was there before the account was connected: it is not read.
    await options.save({ uidValidity, lastUid: uidNext - 1 });
    return uidNext - 1;
  };

  const readPast = async (client: ImapFlow, uidValidity: string, lastUid: number): Promise<number> => {
    // `n:*` always matches the newest mail, even one below n (RFC 9051 section 6.4.8): filter.
    const list = (
      await client.fetchAll(`${lastUid + 1}:*`, { uid: true, internalDate: true, size: true }, { uid: true })
    ).filter((message) => message.uid > lastUid);
    return (await takeAll(client, uidValidity, list)) ?? lastUid;
  };

  /** Takes the mails in UID order, storing the position after each; answers the last UID taken. */
  const takeAll = async (
    client: ImapFlow,
    uidValidity: string,
    list: FetchMessageObject[],
  ): Promise<number | undefined> => {
    let last: number | undefined;
    for (const message of [...list].sort((a, b) => a.uid - b.uid)) {
      if (signal.aborted) break;
      const mail = await fetchMail(client, message);
      await options.onMail(mail);
      await options.save({ uidValidity, lastUid: mail.uid, lastReceivedAt: mail.receivedAt });
      last = mail.uid;
    }
    return last;
  };

  const fetchMail = async (client: ImapFlow, message: FetchMessageObject): Promise<FetchedMail> => {
    const limit = options.maxMailBytes ?? DEFAULT_MAX_MAIL_BYTES;
    const truncated = (message.size ?? 0) > limit;
    const fetched = await client.fetchOne(
      String(message.uid),
      truncated ? { uid: true, headers: true } : { uid: true, source: true },
      { uid: true },
    );
    if (!fetched) throw new Error(`Mail ${message.uid} disappeared while it was read`);
    const source = truncated
      ? Buffer.concat([fetched.headers ?? Buffer.alloc(0), Buffer.from('\r\n')])
      : fetched.source;
    if (!source) throw new Error(`The server sent no source for mail ${message.uid}`);
    return { uid: message.uid, source, receivedAt: receivedAt(message), truncated };
  };

  const loop = async (): Promise<void> => {
    let backoffMs = FIRST_BACKOFF_MS;
    while (!signal.aborted) {
      const started = Date.now();
      try {
        await session();
      } catch (error) {
        if (signal.aborted) return;
        options.onError?.(error);
      }
      if (signal.aborted) return;
      // A session that ran a while was healthy: start the backoff over.
      if (Date.now() - started > MAX_BACKOFF_MS) backoffMs = FIRST_BACKOFF_MS;
      await sleepUnlessStopped(backoffMs, signal);
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    }
  };
  const running = loop();

  return {
    async stop() {
      controller.abort();
      await running;
      current?.close();
    },
  };
}

function receivedAt(message: FetchMessageObject): Date {
  const date = message.internalDate ? new Date(message.internalDate) : new Date();
  return Number.isNaN(date.getTime()) ? new Date() : date;
}

/** A doorbell: rings once; a ring while nobody waits is remembered for the next wait. */
class Wakeup {
  private rung = false;
  private waiter: (() => void) | undefined;

  ring(): void {
    this.rung = true;
    this.waiter?.();
  }

  wait(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiter = undefined;
        this.rung = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.waiter = done;
      if (this.rung) done();
    });
  }
}
