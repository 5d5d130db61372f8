import type { InboundEvent, MediaKind } from '../channels/channel-events.js';
import { MalformedPayloadError } from '../channels/channel-errors.js';
import { isAutoReply } from './detect-auto-reply.js';
import { emailEnvelopeSchema, type EmailEnvelope } from './email-envelope.js';
import { isOurMessageId, messageIdKey, threadKeyOf } from './email-message-ids.js';
import { readDeliveryReport } from './read-delivery-report.js';
import { sanitizeEmailHtml } from './sanitize-email-html.js';
import { trimEmailReply } from './trim-email-reply.js';

const MAX_TEXT = 20_000;
const MAX_FULL_TEXT = 200_000;
const MAX_HTML = 1_000_000;
/** A Date header further than this from the mailbox's receipt is someone's wrong clock. */
const MAX_CLOCK_SKEW_MS = 24 * 3600_000;

/** Where the attachment's bytes are: its position among the envelope's attachments. */
export const ATTACHMENT_REF_PREFIX = 'attachment:';

/**
 * The events in one fetched mail: a bounce of a mail we sent is a `failed` status of that mail; a
 * report that concerns nothing we sent (or a read receipt, a delay notice) is no event; anything
 * else is one message, flagged when a machine wrote it. Mail from the mailbox itself is none.
 */
export function parseEmailEnvelope(rawBody: Buffer, account: { id: string; address: string }): InboundEvent[] {
  const envelope = readEnvelope(rawBody);
  const receivedAt = new Date(envelope.receivedAt);

  const report = readDeliveryReport(envelope);
  if (report.type === 'ignored') return [];
  if (report.type === 'failed') {
    const original = report.originalIds.find((id) => isOurMessageId(id, account.id));
    if (!original) return [];
    return [
      {
        type: 'status',
        externalMessageId: original,
        status: 'failed',
        at: receivedAt,
        error: { code: report.status ?? 'bounced', reason: report.reason },
      },
    ];
  }

  const from = envelope.from;
  if (!from || !/^[^@\s]+@[^@\s]+$/.test(from.address) || from.address.length > 200) {
    throw new MalformedPayloadError('The mail has no usable From address');
  }
  const messageId = messageIdKey(envelope.messageId ?? `${envelope.sourceHash}@hash.invalid`);
  // Our own mail back in the folder (a copy to ourselves, a provider that files sent mail here).
  if (isOurMessageId(messageId, account.id) || from.address.toLowerCase() === account.address) return [];
  const inReplyTo = envelope.inReplyTo ? messageIdKey(envelope.inReplyTo) : undefined;
  const references = envelope.references.map(messageIdKey).slice(-100);
  const fullText = (envelope.text ?? '').trim();
  const html = envelope.html ? sanitizeEmailHtml(envelope.html) : '';
  const address = (entry: { address: string; name?: string }) => ({
    address: entry.address.slice(0, 320),
    ...(entry.name ? { name: entry.name.slice(0, 300) } : {}),
  });
  const name = from.name?.trim().slice(0, 300);
  return [
    {
      type: 'message',
      externalMessageId: messageId,
      from: { externalId: from.address.toLowerCase(), email: from.address, ...(name ? { name } : {}) },
      chatId: threadKeyOf({ messageId, inReplyTo, references }),
      sentAt: sentAtOf(envelope, receivedAt),
      content: {
        kind: 'email',
        subject: envelope.subject.slice(0, 1000),
        text: trimEmailReply(fullText).slice(0, MAX_TEXT),
        ...(fullText ? { fullText: fullText.slice(0, MAX_FULL_TEXT) } : {}),
        // A page of HTML past the limit is a newsletter's; its text part stays.
        ...(html && html.length <= MAX_HTML ? { html } : {}),
        from: address(from),
        to: envelope.to.slice(0, 100).map(address),
        cc: envelope.cc.slice(0, 100).map(address),
        ...(envelope.replyTo ? { replyTo: address(envelope.replyTo) } : {}),
        messageId,
        ...(inReplyTo ? { inReplyTo } : {}),
        references,
        attachments: envelope.attachments.slice(0, 100).map((attachment, index) => ({
          kind: mediaKindOf(attachment.contentType),
          fileRef: `${ATTACHMENT_REF_PREFIX}${index}`,
          mimeType: attachment.contentType,
          ...(attachment.fileName ? { fileName: attachment.fileName.slice(0, 300) } : {}),
          size: attachment.size,
        })),
        ...(isAutoReply(envelope.headers) ? { autoReply: true } : {}),
      },
      ...(inReplyTo ? { replyToExternalId: inReplyTo } : {}),
    },
  ];
}

function readEnvelope(rawBody: Buffer): EmailEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new MalformedPayloadError('The e-mail envelope is not JSON');
  }
  const parsed = emailEnvelopeSchema.safeParse(json);
  if (!parsed.success) throw new MalformedPayloadError(`Not an e-mail envelope: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

function sentAtOf(envelope: EmailEnvelope, receivedAt: Date): Date {
  const date = envelope.date ? new Date(envelope.date) : undefined;
  if (!date || Math.abs(date.getTime() - receivedAt.getTime()) > MAX_CLOCK_SKEW_MS) return receivedAt;
  return date;
}

function mediaKindOf(mimeType: string): MediaKind {
  if (mimeType.startsWith('image/')) return 'image';
  if (mimeType.startsWith('video/')) return 'video';
  if (mimeType.startsWith('audio/')) return 'audio';
  return 'document';
}
