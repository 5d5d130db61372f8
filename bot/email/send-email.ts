import { z } from 'zod';
import type { SendContext, SendResult } from '../channels/channel-adapter.js';
import type { OutboundMessage } from '../channels/channel-events.js';
import { SendError } from '../channels/channel-errors.js';
import type { EmailAccount } from './email-adapter.js';
import { ourMessageId } from './email-message-ids.js';
import { mailboxPools } from './mailbox-pools.js';
import { toEmailSendError } from './to-email-send-error.js';
import { unsubscribeParts } from './unsubscribe-parts.js';

const addressSchema = z.object({ address: z.string().min(3), name: z.string().optional() });

/** What a reply needs of the mail it answers (the stored `email` content). */
const answeredMailSchema = z.object({
  kind: z.literal('email'),
  subject: z.string(),
  from: addressSchema,
  replyTo: addressSchema.optional(),
  messageId: z.string().min(1),
  references: z.array(z.string()),
});

/** References keeps the thread's first id and the latest ones (RFC 5322 3.6.4 lets a long list be trimmed so). */
const MAX_REFERENCES = 20;

/**
 * Sends a reply by SMTP as an answer to the person's latest mail in the conversation:
 * `Re: <subject>`, In-Reply-To that mail's id and References the thread, so the person's mail
 * program files it in the same thread (RFC 5322 3.6.4); a message carrying `email` (a broadcast)
 * starts a new thread instead. Our Message-ID is made from our message id, so a retried send
 * carries the same one. The mail goes over the mailbox's pooled SMTP connections.
 */
export async function sendEmail(
  message: OutboundMessage,
  context: SendContext,
  account: EmailAccount,
): Promise<SendResult> {
  if (message.template) throw new SendError('permanent', 'E-mail has no templates: send the text itself', 'template');
  const { settings } = account;
  const messageId = ourMessageId(context.messageId, account.id, settings.address);
  const envelope = message.email ? newMail(message.email, context.chatId) : await replyTo(context);
  const attachments = message.media
    ? [
        {
          filename: message.media.fileName,
          content: await context.openFile(message.media),
          contentType: message.media.mimeType,
        },
      ]
    : [];
  try {
    await mailboxPools.send(account, {
      from: { name: account.name, address: settings.address },
      ...envelope,
      ...unsubscribeParts(
        { text: textOf(message), ...(message.email?.html ? { html: message.email.html } : {}) },
        message.unsubscribeUrl,
      ),
      messageId,
      attachments,
    });
  } catch (error) {
    throw toEmailSendError(error);
  }
  return { externalMessageId: messageId };
}

/** A mail that starts a thread (a broadcast): the conversation's chat id is the person's address. */
function newMail(email: NonNullable<OutboundMessage['email']>, address: string) {
  if (!address.includes('@')) {
    throw new SendError('permanent', 'This conversation has no e-mail address to write a new mail to', 'no_address');
  }
  return { to: address, subject: email.subject };
}

/** The headers of an answer to the person's latest mail in the conversation. */
async function replyTo(context: SendContext) {
  const answered = answeredMailSchema.safeParse((await context.lastInbound?.())?.content);
  if (!answered.success) {
    throw new SendError('permanent', 'There is no e-mail from this person in the conversation to answer', 'no_thread');
  }
  const mail = answered.data;
  const chain = [...mail.references, mail.messageId];
  const references = chain.length > MAX_REFERENCES ? [chain[0]!, ...chain.slice(-(MAX_REFERENCES - 1))] : chain;
  return {
    to: mail.replyTo ?? { name: mail.from.name ?? '', address: mail.from.address },
    subject: replySubject(mail.subject),
    inReplyTo: mail.messageId,
    references,
  };
}

/** "Re: " once, whatever prefix the person's mail program already put there. */
export function replySubject(subject: string): string {
  const bare = subject.replace(/^\s*((re|fwd?|aw|sv|отв|ответ)\s*(\[\d+\])?\s*:\s*)+/i, '').trim();
  return bare ? `Re: ${bare}` : 'Re:';
}

/** Mail has no buttons: the choices follow the text as a numbered list. */
function textOf(message: OutboundMessage): string {
  const text = message.text ?? '';
  if (!message.buttons?.length) return text;
  const choices = message.buttons.map((button, index) => `${index + 1}. ${button.text}`).join('\n');
  return text ? `${text}\n\n${choices}` : choices;
}
