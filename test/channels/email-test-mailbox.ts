import { randomBytes } from 'node:crypto';
import type { ApiClient } from '../api/api-harness.js';
import type { Dovecot, DovecotMailbox } from '../stand-ins/dovecot.js';
import { startSmtpCapture, type SmtpCapture } from '../stand-ins/smtp-capture.js';

export interface TestMailbox {
  /** The channel account's id. */
  id: string;
  mailbox: DovecotMailbox;
  smtp: SmtpCapture;
}

/**
 * A mailbox in the test's dovecot connected as an e-mail channel through the API, its replies
 * going to an SMTP stand-in that takes the same login. Close `smtp` after the test. `fields` adds
 * channel fields such as `teamIds`.
 */
export async function connectTestMailbox(
  admin: ApiClient,
  dovecot: Dovecot,
  fields: Record<string, unknown> = {},
): Promise<TestMailbox> {
  const mailbox = dovecot.createMailbox();
  const smtp = await startSmtpCapture({ username: mailbox.username, password: mailbox.password });
  const created = await admin.post('/channels', {
    type: 'email',
    name: `ЭкоДом ${randomBytes(2).toString('hex')}`,
    address: mailbox.address,
    imapHost: dovecot.host,
    imapPort: dovecot.port,
    imapSecure: false,
    smtpHost: smtp.host,
    smtpPort: smtp.port,
    smtpSecure: false,
    username: mailbox.username,
    password: mailbox.password,
    ...fields,
  });
  if (created.status !== 201) {
    await smtp.close();
    throw new Error(`Connecting the mailbox failed: ${created.status} ${JSON.stringify(created.body)}`);
  }
  return { id: created.body.id, mailbox, smtp };
}

/** A client's address no other test uses. */
export function clientAddress(): string {
  return `client-${randomBytes(4).toString('hex')}@client.test`;
}
