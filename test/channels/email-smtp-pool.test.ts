import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { simpleParser } from 'mailparser';
import { Types } from 'mongoose';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { SendContext } from '../../bot/channels/channel-adapter.js';
import { createEmailAdapter, type EmailAccount } from '../../bot/email/email-adapter.js';
import { mailboxPools } from '../../bot/email/mailbox-pools.js';
import { waitUntil } from '../wait-until.js';
import { smtpMailbox } from './fixtures/email-fixture.js';

/** What the SMTP server saw: every connection, every login, every mail, and the sessions still open. */
interface SmtpLog {
  host: string;
  port: number;
  connections: number;
  open: number;
  logins: string[];
  mails: { to: string[]; subject: string; login: string }[];
  /** Ends every open session as a server going away does: 421, then the socket is closed (RFC 5321 3.8). */
  dropAll(): void;
  close(): Promise<void>;
}

/** A smtp-server that takes the mailbox's login with any of `passwords`, which the test may change. */
async function startCountingSmtp(username: string, passwords: Set<string>): Promise<SmtpLog> {
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      log.connections += 1;
      log.open += 1;
      callback();
    },
    onClose() {
      log.open -= 1;
    },
    onAuth(auth, _session, callback) {
      const password = auth.password ?? '';
      log.logins.push(password);
      if (auth.username === username && passwords.has(password)) return callback(null, { user: password });
      callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          log.mails.push({
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            subject: parsed.subject ?? '',
            login: String(session.user),
          });
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('The SMTP server is not listening on TCP');
  const log: SmtpLog = {
    host: '127.0.0.1',
    port: address.port,
    connections: 0,
    open: 0,
    logins: [],
    mails: [],
    dropAll() {
      for (const connection of server.connections) {
        connection.send(421, 'Service not available, closing transmission channel');
        connection.close();
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return log;
}

const adapter = createEmailAdapter();

const mailbox = smtpMailbox;

/** A broadcast mail to `to`: a new thread, so no earlier mail is needed. */
function broadcastTo(account: EmailAccount, to: string, subject: string) {
  const context: SendContext = {
    chatId: to,
    messageId: new Types.ObjectId().toHexString(),
    openFile: async () => Readable.from([]),
    fileUrl: () => 'https://files.example/f',
  };
  return adapter.send({ text: `Здравствуйте! ${subject}`, email: { subject } }, context, account);
}

describe('email SMTP pool', () => {
  let smtp: SmtpLog | undefined;
  afterEach(async () => {
    mailboxPools.closeAll();
    await smtp?.close();
    smtp = undefined;
  });

  async function start(password: string | Set<string>) {
    const address = `sales-${randomBytes(3).toString('hex')}@ecodom.test`;
    smtp = await startCountingSmtp(address, typeof password === 'string' ? new Set([password]) : password);
    return { address, smtp };
  }

  it('should send a burst of 30 mails over at most 3 connections, logging in once on each', async () => {
    const { address, smtp } = await start('app-password-1');
    const account = mailbox(smtp, address, 'app-password-1');
    const recipients = Array.from({ length: 30 }, (_, index) => `client-${index}@client.test`);

    await Promise.all(recipients.map((to, index) => broadcastTo(account, to, `Акция №${index}`)));

    expect(smtp.mails.map((mail) => [mail.to, mail.subject]).sort()).toEqual(
      recipients.map((to, index) => [[to], `Акция №${index}`]).sort(),
    );
    expect(smtp.connections).toBeGreaterThanOrEqual(1);
    expect(smtp.connections).toBeLessThanOrEqual(3);
    expect(smtp.logins.length).toBe(smtp.connections);
  });

  it('should log in with the new password once the mailbox is edited, and let the old connection go', async () => {
    const passwords = new Set(['app-password-1']);
    const { address, smtp } = await start(passwords);
    const before = mailbox(smtp, address, 'app-password-1');
    await broadcastTo(before, 'anna@client.test', 'Первое');
    expect(smtp.connections).toBe(1);

    // Settings saved with a new app password: the provider takes only the new one from now on.
    passwords.clear();
    passwords.add('app-password-2');
    const after = mailbox(smtp, address, 'app-password-2', before.id);
    for (const subject of ['Второе', 'Третье', 'Четвёртое']) await broadcastTo(after, 'anna@client.test', subject);

    expect(smtp.connections).toBe(2);
    expect(smtp.logins).toEqual(['app-password-1', 'app-password-2']);
    expect(smtp.mails.map((mail) => [mail.subject, mail.login])).toEqual([
      ['Первое', 'app-password-1'],
      ['Второе', 'app-password-2'],
      ['Третье', 'app-password-2'],
      ['Четвёртое', 'app-password-2'],
    ]);
    await waitUntil('the old connection closed', () => (smtp.open === 1 ? true : undefined));
  });

  it('should open a new connection for the next send when the server has dropped the pooled ones', async () => {
    const { address, smtp } = await start('app-password-1');
    const account = mailbox(smtp, address, 'app-password-1');
    await broadcastTo(account, 'anna@client.test', 'До обрыва');
    expect(smtp.open).toBe(1);

    smtp.dropAll();
    await broadcastTo(account, 'anna@client.test', 'Сразу после обрыва');
    await broadcastTo(account, 'anna@client.test', 'Ещё одно');

    expect(smtp.mails.map((mail) => mail.subject)).toEqual(['До обрыва', 'Сразу после обрыва', 'Ещё одно']);
    expect(smtp.connections).toBe(2);
  });

  it('should close the connections of a mailbox that has sent nothing for a few seconds', async () => {
    const { address, smtp } = await start('app-password-1');
    const account = mailbox(smtp, address, 'app-password-1');
    await Promise.all(['Один', 'Два', 'Три'].map((subject) => broadcastTo(account, 'anna@client.test', subject)));
    expect(smtp.open).toBeGreaterThan(0);

    await waitUntil('the quiet mailbox’s connections closed', () => (smtp.open === 0 ? true : undefined), 10_000);
    await broadcastTo(account, 'anna@client.test', 'После паузы');
    expect(smtp.mails).toHaveLength(4);
  });
});
