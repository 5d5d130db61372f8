import nodemailer, { type Transporter } from 'nodemailer';
import type { EmailSecrets, EmailSettings } from './email-schemas.js';

/** Give up on a slow mail server rather than hold a queue worker for minutes (~95 s at most in all). */
export const SMTP_TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

/**
 * The SMTP connection of a connected mailbox: replies go out through it, and the managers'
 * weekly digest too when no SYSTEM_SMTP_URL is set.
 */
export function mailboxTransport(settings: EmailSettings, secrets: EmailSecrets): Transporter {
  return nodemailer.createTransport({
    host: settings.smtpHost,
    port: settings.smtpPort,
    secure: settings.smtpSecure,
    auth: { user: settings.username, pass: secrets.password },
    ...SMTP_TIMEOUTS,
  });
}
