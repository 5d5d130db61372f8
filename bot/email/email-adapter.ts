import type { ChannelAccount, ChannelAdapter } from '../channels/channel-adapter.js';
import { verifyEmailEnvelope } from './email-envelope-signature.js';
import { emailSecretsSchema, emailSettingsSchema, type EmailSecrets, type EmailSettings } from './email-schemas.js';
import { parseEmailEnvelope } from './parse-email-envelope.js';
import { sendEmail } from './send-email.js';

export type EmailAccount = ChannelAccount<EmailSettings, EmailSecrets>;

/** A refusal of the media fetcher: it is not how e-mail attachments arrive. */
class NotFetchableError extends Error {
  readonly retryable = false;
}

/**
 * A mailbox as a channel: mail is read over IMAP by the mailbox sync (server/channels/email-sync.ts),
 * which hands each mail here as a signed envelope; replies go out over SMTP. Attachments come
 * with the mail, so the sync keeps them itself rather than through downloadMedia.
 */
export function createEmailAdapter(): ChannelAdapter<EmailSettings, EmailSecrets> {
  return {
    type: 'email',
    capabilities: {
      maxButtons: 10,
      maxButtonTextLength: 100,
      maxTextLength: 20_000,
      media: true,
      // Mailbox providers count messages per day (Gmail: 500, Yandex and Mail.ru: a few hundred);
      // a couple a second keeps a burst of replies from looking like spam.
      defaultRatePerSecond: 2,
      // Bounces come back as `failed` statuses of the mail they return.
      reportsDeliveryStatus: true,
      // A reply that says only "Отписаться" or "Unsubscribe" opts out as the link in the footer does.
      optOutKeywords: 'chat',
    },
    settingsSchema: emailSettingsSchema,
    secretsSchema: emailSecretsSchema,

    verify(request, account) {
      verifyEmailEnvelope(request, account.secrets.password);
    },

    parse(request, account) {
      return parseEmailEnvelope(request.rawBody, { id: account.id, address: account.settings.address });
    },

    send(message, context, account) {
      return sendEmail(message, context, account);
    },

    async downloadMedia() {
      throw new NotFetchableError('E-mail attachments are kept by the mailbox sync when the mail is read');
    },
  };
}
