import nodemailer, { type Transporter } from 'nodemailer';
import type { ApiServices } from '../../api/api-services.js';
import { emailSecretsSchema, emailSettingsSchema } from '../../../bot/email/email-schemas.js';
import { mailboxTransport, SMTP_TIMEOUTS } from '../../../bot/email/mailbox-transport.js';
import { systemMailSettings } from './digest-mail-settings.js';

export interface DigestMail {
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** The same for a retried send, so a mail program can tell a repeat. */
  messageId: string;
}

export interface DigestMailer {
  /** What the digest is sent from, for the logs. */
  describe: string;
  send(mail: DigestMail): Promise<void>;
  close(): void;
}

function mailerOf(
  transport: Transporter,
  from: string | { name: string; address: string },
  describe: string,
): DigestMailer {
  return {
    describe,
    async send(mail) {
      await transport.sendMail({ from, ...mail });
    },
    close: () => transport.close(),
  };
}

/**
 * How digests are sent: the SMTP server of SYSTEM_SMTP_URL when set, else the oldest active
 * e-mail channel (the company mailbox the inbox already sends from), else none. Undefined means
 * there is nothing to send with; the digest is then skipped and says so in the log.
 */
export async function resolveDigestMailer(
  services: Pick<ApiServices, 'channels'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DigestMailer | undefined> {
  const system = systemMailSettings(env);
  if (system) {
    const url = new URL(system.smtpUrl);
    return mailerOf(
      nodemailer.createTransport({ url: system.smtpUrl, ...SMTP_TIMEOUTS }),
      system.from,
      `SYSTEM_SMTP_URL (${url.hostname})`,
    );
  }
  const [mailbox] = await services.channels.listActive('email');
  if (!mailbox) return undefined;
  const settings = emailSettingsSchema.parse(mailbox.settings);
  return mailerOf(
    mailboxTransport(settings, emailSecretsSchema.parse(mailbox.secrets)),
    { name: mailbox.name, address: settings.address },
    `the mailbox ${settings.address}`,
  );
}
