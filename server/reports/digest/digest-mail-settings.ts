import { z } from 'zod';

/**
 * Where the app's own mail (the weekly digest) goes out, read from the environment:
 * `SYSTEM_SMTP_URL` (smtp://user:password@host:587 with STARTTLS, or smtps://…:465) and
 * `SYSTEM_MAIL_FROM` ('Funnel <reports@example.ru>'). Both unset: the oldest connected mailbox
 * (e-mail channel) sends it. Read here rather than in server/config because only the digest uses
 * them so far (docs/weekly-digest.md).
 */
const settingsSchema = z.object({
  SYSTEM_SMTP_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .trim()
      .refine(
        (value) => URL.canParse(value) && /^smtps?:$/.test(new URL(value).protocol),
        'must be a URL starting with smtp:// or smtps://',
      )
      .optional(),
  ),
  SYSTEM_MAIL_FROM: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().trim().min(3).max(320).optional(),
  ),
});

/** The settings are wrong: no retry can send with them, an admin has to fix them. */
export class SystemMailSettingsError extends Error {
  readonly code = 'system_mail_settings';
  constructor(message: string) {
    super(message);
    this.name = 'SystemMailSettingsError';
  }
}

export interface SystemMailSettings {
  smtpUrl: string;
  from: string;
}

/** The configured SMTP server and sender, or undefined when none is configured. */
export function systemMailSettings(env: NodeJS.ProcessEnv = process.env): SystemMailSettings | undefined {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    throw new SystemMailSettingsError(
      `System mail settings are invalid: ${parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`).join('; ')}`,
    );
  }
  const { SYSTEM_SMTP_URL: smtpUrl, SYSTEM_MAIL_FROM: from } = parsed.data;
  if (!smtpUrl) return undefined;
  const login = decodeURIComponent(new URL(smtpUrl).username);
  // Without a sender the login is one when it is an address (most providers log in by address).
  const sender = from ?? (login.includes('@') ? login : undefined);
  if (!sender)
    throw new SystemMailSettingsError(
      'SYSTEM_MAIL_FROM must be set when the SYSTEM_SMTP_URL login is not an e-mail address',
    );
  return { smtpUrl, from: sender };
}
