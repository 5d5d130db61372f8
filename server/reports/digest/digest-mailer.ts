import nodemailer, { type Transporter } from 'nodemailer';
import type { ApiServices } from '../../api/api-services.js';
import { emailSecretsSchema, emailSettingsSchema } from '../../../bot/email/email-schemas.js';
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

const TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

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
      nodemailer.createTransport({ url: system.smtpUrl, ...TIMEOUTS }),
      system.from,
      `SYSTEM_SMTP_URL (${url.hostname})`,
    );
  }
  const [mailbox] = await services.channels.listActive('email');
  if (!mailbox) return undefined;
  const settings = emailSettingsSchema.parse(mailbox.settings);
  const secrets = emailSecretsSchema.parse(mailbox.secrets);
  const transport = nodemailer.createTransport({
    host: settings.smtpHost,
    port: settings.smtpPort,
    secure: settings.smtpSecure,
    auth: { user: settings.username, pass: secrets.password },
    ...TIMEOUTS,
  });
  return mailerOf(transport, { name: mailbox.name, address: settings.address }, `the mailbox ${settings.address}`);
}
