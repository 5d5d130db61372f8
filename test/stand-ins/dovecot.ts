import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort } from '../../server/free-port.js';

export interface DovecotMailbox {
  address: string;
  /** The login: the full address. */
  username: string;
  password: string;
}

export interface Dovecot {
  host: string;
  port: number;
  /** A new mailbox: its own login (the address) and maildir, the server's one password. */
  createMailbox(): DovecotMailbox;
  /** Puts a mail into the mailbox's INBOX with IMAP APPEND (RFC 9051 6.3.12), as a delivery agent would. */
  append(mailbox: DovecotMailbox, raw: string | Buffer, receivedAt?: Date): Promise<void>;
  /** Drops a mail file into the maildir's new/ folder, the way an MTA's local delivery does. */
  deliverToMaildir(mailbox: DovecotMailbox, raw: string | Buffer): void;
  stop(): Promise<void>;
}

const BINARY_PATHS = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'];

function dovecotBinary(): string | undefined {
  return BINARY_PATHS.find((path) => existsSync(path));
}

/** The uid and gid of a system user, from /etc/passwd. */
function systemUser(name: string): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Why dovecot cannot run here, or undefined when it can: the binary is missing, or an instance
 * does not start. Tests that need a real IMAP server skip with this message.
 */
export async function dovecotUnavailable(): Promise<string | undefined> {
  if (!dovecotBinary()) return 'dovecot is not installed (apt-get install dovecot-imapd)';
  try {
    const dovecot = await startDovecot();
    await dovecot.stop();
    return undefined;
  } catch (error) {
    return `dovecot does not start: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * Starts a dovecot IMAP server of the test's own: its configuration, maildirs and
 * runtime files in a temp folder, plain login on a random loopback port, no TLS. Run as root it
 * drops to the `dovecot`/`dovenull` users that Debian's package creates; otherwise it runs as the
 * current user.
 */
export async function startDovecot(): Promise<Dovecot> {
  const binary = dovecotBinary();
  if (!binary) throw new Error('dovecot is not installed');
  const root = mkdtempSync(join(tmpdir(), 'dovecot-'));
  const mailRoot = join(root, 'mail');
  // One password for every mailbox (a static passdb): any address is a mailbox of its own, and
  // nothing has to be reloaded when a test makes one.
  const password = randomBytes(12).toString('base64url');
  mkdirSync(join(root, 'run'));
  mkdirSync(mailRoot);
  chmodSync(root, 0o755);

  const asRoot = process.getuid?.() === 0;
  const mailUser = asRoot ? systemUser('dovecot') : { uid: process.getuid!(), gid: process.getgid!() };
  if (!mailUser) throw new Error('the dovecot system user is missing');
  if (asRoot) chownSync(mailRoot, mailUser.uid, mailUser.gid);
  const me = userInfo().username;
  const port = await freePort();

  writeFileSync(
    join(root, 'dovecot.conf'),
    `protocols = imap
listen = 127.0.0.1
base_dir = ${root}/run
state_dir = ${root}/state
log_path = ${root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${mailRoot}/%u
first_valid_uid = 1
default_login_user = ${asRoot ? 'dovenull' : me}
default_internal_user = ${asRoot ? 'dovecot' : me}
default_internal_group = ${asRoot ? 'dovecot' : me}
passdb {
  driver = static
  args = password=${password}
}
userdb {
  driver = static
  args = uid=${mailUser.uid} gid=${mailUser.gid} home=${mailRoot}/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0600
  }
  unix_listener stats-writer {
    mode = 0600
  }
}
`,
  );

  const child: ChildProcess = spawn(binary, ['-F', '-c', join(root, 'dovecot.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      // The master waits for its children; a stuck one is not worth waiting for.
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(root, { recursive: true, force: true });
  };

  try {
    await waitForGreeting(
      port,
      () => child.exitCode !== null,
      () => stderr,
    );
  } catch (error) {
    const log = existsSync(join(root, 'dovecot.log')) ? readFileSync(join(root, 'dovecot.log'), 'utf8') : '';
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${stderr}\n${log}`.trim());
  }

  const imapClient = (mailbox: DovecotMailbox) =>
    new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      doSTARTTLS: false,
      auth: { user: mailbox.username, pass: mailbox.password },
      logger: false,
    });

  return {
    host: '127.0.0.1',
    port,
    createMailbox() {
      const address = `inbox-${randomBytes(4).toString('hex')}@company.test`;
      return { address, username: address, password };
    },
    async append(mailbox, raw, receivedAt) {
      const client = imapClient(mailbox);
      client.on('error', () => undefined);
      // imapflow's own errors say only "Command failed": name the server's answer and its log.
      const explain = (step: string) => (error: { responseText?: string; message?: string }) => {
        const log = existsSync(join(root, 'dovecot.log')) ? readFileSync(join(root, 'dovecot.log'), 'utf8') : '';
        throw new Error(
          `${step} failed: ${error.responseText ?? error.message}\n${log.split('\n').slice(-15).join('\n')}`,
        );
      };
      await client.connect().catch(explain('IMAP login'));
      try {
        const body = typeof raw === 'string' ? Buffer.from(raw) : raw;
        await client.append('INBOX', body, [], receivedAt ?? new Date()).catch(explain('APPEND'));
      } finally {
        await client.logout().catch(() => client.close());
      }
    },
    deliverToMaildir(mailbox, raw) {
      const maildir = join(mailRoot, mailbox.username);
      for (const folder of ['', 'new', 'cur', 'tmp']) {
        const path = join(maildir, folder);
        if (existsSync(path)) continue;
        mkdirSync(path);
        if (asRoot) chownSync(path, mailUser.uid, mailUser.gid);
      }
      // Maildir delivery: write under tmp/, then rename into new/ (https://cr.yp.to/proto/maildir.html).
      const name = `${Date.now()}.${randomBytes(6).toString('hex')}.test`;
      const path = join(maildir, 'new', name);
      writeFileSync(path, raw);
      if (asRoot) chownSync(path, mailUser.uid, mailUser.gid);
    },
    stop,
  };
}

async function waitForGreeting(port: number, died: () => boolean, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (died()) throw new Error(`dovecot exited: ${stderr()}`);
    const greeting = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.setTimeout(1000);
      socket.once('data', (data) => {
        resolve(data.toString());
        socket.destroy();
      });
      socket.once('error', () => resolve(''));
      socket.once('timeout', () => {
        socket.destroy();
        resolve('');
      });
    });
    if (greeting.startsWith('* OK')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('dovecot did not answer within 15 seconds');
}
