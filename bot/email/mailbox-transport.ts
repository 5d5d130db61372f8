import nodemailer, { type Transporter } from 'nodemailer';
import type { EmailSecrets, EmailSettings } from './email-schemas.js';

/** Give up on a slow mail server rather than hold a queue worker for minutes (~95 s at most in all). */
export const SMTP_TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

/** Where and as whom a mailbox's mail is handed over, with the timeouts every SMTP connection of ours has. */
export function mailboxSmtpOptions(settings: EmailSettings, secrets: EmailSecrets) {
  return {
    host: settings.smtpHost,
    port: settings.smtpPort,
    secure: settings.smtpSecure,
    auth: { user: settings.username, pass: secrets.password },
    ...SMTP_TIMEOUTS,
  };
}

/**
 * A one-off SMTP connection of a connected mailbox, for the managers' weekly digest when no
 * SYSTEM_SMTP_URL is set; replies and broadcasts go through the mailbox's pool (mailbox-pools.ts).
 */
export function mailboxTransport(settings: EmailSettings, secrets: EmailSecrets): Transporter {
  return nodemailer.createTransport(mailboxSmtpOptions(settings, secrets));
}
