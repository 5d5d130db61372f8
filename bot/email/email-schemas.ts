import { z } from 'zod';
import { validationTexts } from '../../server/api/validation-texts.js';

const { say } = validationTexts;

const host = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/, say('emailHost'));
const port = z.number().int().min(1).max(65_535);

/**
 * The non-secret fields of a mailbox. `imapSecure`/`smtpSecure` mean TLS from the first byte
 * (ports 993 and 465); off, the connection upgrades with STARTTLS when the server offers it
 * (ports 143 and 587).
 */
export const emailSettingsSchema = z.strictObject({
  /** The address clients write to and our replies come from. */
  address: z
    .string()
    .trim()
    .toLowerCase()
    .max(254)
    .pipe(z.email(say('email'))),
  imapHost: host,
  imapPort: port.default(993),
  imapSecure: z.boolean().default(true),
  smtpHost: host,
  smtpPort: port.default(465),
  smtpSecure: z.boolean().default(true),
  /** The login of both servers; most providers take the full address. */
  username: z.string().trim().min(1).max(320),
  /** The folder that is read; INBOX unless the provider files the mail elsewhere. */
  mailbox: z.string().trim().min(1).max(200).default('INBOX'),
});
export type EmailSettings = z.infer<typeof emailSettingsSchema>;

export const emailSecretsSchema = z.strictObject({
  /** The mailbox password, or the app password the provider issues for mail programs. */
  password: z
    .string({ error: say('emailPassword') })
    .min(1)
    .max(500),
});
export type EmailSecrets = z.infer<typeof emailSecretsSchema>;
