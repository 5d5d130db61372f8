import { createHash } from 'node:crypto';

/** Ids longer than this are kept by their hash: the message's provider id holds 300 characters. */
const MAX_ID_LENGTH = 300;
/** A conversation's chat id holds 200 characters. */
const MAX_THREAD_KEY_LENGTH = 200;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The one spelling of a Message-ID that ids are compared in: angle brackets on, spaces off, a
 * hash for the few ids too long to store (RFC 5322 sets no limit).
 */
export function messageIdKey(id: string): string {
  const bare = id.trim().replace(/^<|>$/g, '').replace(/\s+/g, '');
  const bracketed = `<${bare}>`;
  return bracketed.length <= MAX_ID_LENGTH ? bracketed : `<${sha256(bare).slice(0, 40)}@long-id.invalid>`;
}

/**
 * A thread's key, the conversation's chat id: the id of the mail that started it, which every
 * reply carries first in References (RFC 5322 3.6.4); In-Reply-To or the mail's own id when it
 * starts the thread.
 */
export function threadKeyOf(mail: { messageId: string; inReplyTo?: string; references: string[] }): string {
  const root = mail.references[0] ?? mail.inReplyTo ?? mail.messageId;
  return root.length <= MAX_THREAD_KEY_LENGTH ? root : `thread:${sha256(root).slice(0, 40)}`;
}

/**
 * The Message-ID of a mail we send: made of our message id and the account id, so a retried send
 * keeps its id (mail programs show one copy of one id) and a bounce can be told as ours.
 */
export function ourMessageId(messageId: string, accountId: string, address: string): string {
  const domain = address.split('@')[1] ?? 'localhost';
  return `<${messageId}.${accountId}@${domain}>`;
}

export function isOurMessageId(id: string, accountId: string): boolean {
  return new RegExp(`^<[0-9A-Za-z_-]{1,64}\\.${accountId}@[^<>@\\s]+>$`).test(id);
}
