import { createHash } from 'node:crypto';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type { EmailSecrets, EmailSettings } from './email-schemas.js';
import { mailboxSmtpOptions } from './mailbox-transport.js';

/**
 * Sessions one mailbox holds at once in a process. The outbound worker sends one mail at a time per
 * account, so a burst rides one session; the cap keeps sends that do overlap from opening more
 * sessions than providers tolerate on one login.
 */
const MAX_CONNECTIONS = 3;
/**
 * Mails over one session before it is replaced, well below the caps servers put on a session
 * (Exim's smtp_accept_max_per_connection is 1000), so a long broadcast never meets one mid-send.
 */
const MAX_MESSAGES = 100;
/**
 * A pool serves bursts: while one lasts the outbound worker sends at least a mail a second (an
 * account's ratePerSecond is 1 or more), so a few quiet seconds mean it is over. Held longer, an
 * idle session buys a sporadic reply a handshake it does not miss, is counted against the
 * provider's session cap, and is dropped by a busy server anyway (Postfix under load waits 10 s:
 * https://www.postfix.org/postconf.5.html#smtpd_timeout).
 */
const IDLE_CLOSE_MS = 3_000;

interface MailboxPool {
  fingerprint: string;
  transport: Transporter;
  /** Sends handed to the transport and not settled: a pool is closed only with none. */
  sending: number;
  idleTimer: NodeJS.Timeout;
  retired: boolean;
}

export interface PooledMailbox {
  id: string;
  settings: EmailSettings;
  secrets: EmailSecrets;
}

/**
 * The SMTP connections of each connected mailbox, shared by every send of that mailbox in the
 * process, so a broadcast pays the TCP and TLS handshake, EHLO and AUTH once per connection
 * rather than once per mail. A pool is made on a mailbox's first send and closed when the mailbox
 * has been quiet for a while, or when its server or login is edited in Settings: the next send
 * then logs in with what the account says now. A connection the server dropped is replaced on
 * the next send (nodemailer puts back a mail whose connection died before a byte of it was sent).
 */
export class MailboxPools {
  private readonly pools = new Map<string, MailboxPool>();

  constructor(private readonly idleCloseMs = IDLE_CLOSE_MS) {}

  async send(mailbox: PooledMailbox, mail: SendMailOptions): Promise<void> {
    const pool = this.poolOf(mailbox);
    pool.sending += 1;
    try {
      await pool.transport.sendMail(mail);
    } finally {
      pool.sending -= 1;
      if (pool.retired) this.closeWhenDrained(pool);
      else pool.idleTimer.refresh();
    }
  }

  /** Closes every pool; sends under way finish first. For shutdown and tests. */
  closeAll(): void {
    for (const [mailboxId, pool] of this.pools) this.retire(mailboxId, pool);
  }

  private poolOf(mailbox: PooledMailbox): MailboxPool {
    const fingerprint = fingerprintOf(mailbox.settings, mailbox.secrets);
    const current = this.pools.get(mailbox.id);
    if (current?.fingerprint === fingerprint) return current;
    if (current) this.retire(mailbox.id, current);
    const pool: MailboxPool = {
      fingerprint,
      transport: nodemailer.createTransport({
        ...mailboxSmtpOptions(mailbox.settings, mailbox.secrets),
        pool: true,
        maxConnections: MAX_CONNECTIONS,
        maxMessages: MAX_MESSAGES,
        // Spare connections of a pool still in use are closed on the same schedule.
        idleTimeout: this.idleCloseMs,
      }),
      sending: 0,
      // Unref'd: a quiet pool never keeps the process from exiting.
      idleTimer: setTimeout(() => this.closeIfQuiet(mailbox.id, pool), this.idleCloseMs).unref(),
      retired: false,
    };
    this.pools.set(mailbox.id, pool);
    return pool;
  }

  private closeIfQuiet(mailboxId: string, pool: MailboxPool): void {
    // A send slower than the idle time (the SMTP timeouts allow ~95 s) is not quiet.
    if (pool.sending > 0) {
      pool.idleTimer.refresh();
      return;
    }
    this.retire(mailboxId, pool);
  }

  private retire(mailboxId: string, pool: MailboxPool): void {
    if (this.pools.get(mailboxId) === pool) this.pools.delete(mailboxId);
    clearTimeout(pool.idleTimer);
    pool.retired = true;
    this.closeWhenDrained(pool);
  }

  /** A pool closed with mail queued in it fails that mail, so it closes after its last send. */
  private closeWhenDrained(pool: MailboxPool): void {
    if (pool.sending === 0) pool.transport.close();
  }
}

/** What the connections depend on: an edit of any of it in Settings needs new ones. */
function fingerprintOf(settings: EmailSettings, secrets: EmailSecrets): string {
  const { smtpHost, smtpPort, smtpSecure, username } = settings;
  return createHash('sha256')
    .update(JSON.stringify([smtpHost, smtpPort, smtpSecure, username, secrets.password]))
    .digest('hex');
}

/** The pools of this process: the e-mail adapter's sends go through them. */
export const mailboxPools = new MailboxPools();
