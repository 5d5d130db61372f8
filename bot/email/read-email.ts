import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type EmailAddress, type ParsedMail } from 'mailparser';
import type { EmailEnvelope } from './email-envelope.js';

/** Headers that mark mail written by a machine (see detect-auto-reply.ts). */
const MACHINE_HEADERS = ['auto-submitted', 'x-autoreply', 'x-autorespond', 'precedence'];

/** Parts of a report (RFC 6522) that carry the machine-readable outcome, not files for people. */
const REPORT_PART_TYPES = new Set([
  'message/delivery-status',
  'message/global-delivery-status',
  'message/rfc822',
  'message/global',
  'text/rfc822-headers',
  'message/global-headers',
  'message/disposition-notification',
]);
const REPORT_PART_CHARS = 200_000;

export interface ReadEmail {
  envelope: EmailEnvelope;
  /** The bytes of each entry of `envelope.attachments`, in the same order. */
  attachmentBodies: Buffer[];
}

/** Reads one raw mail (RFC 5322 bytes as IMAP returns them) with mailparser. */
export async function readEmail(source: Buffer, receivedAt: Date): Promise<ReadEmail> {
  const parsed = await simpleParser(source, { skipTextToHtml: true, skipTextLinks: true });
  const contentType = headerValue(parsed, 'content-type');
  const isReport = contentType.value === 'multipart/report';
  const attachments = parsed.attachments.filter(
    (attachment) => !(isReport && REPORT_PART_TYPES.has(attachment.contentType.toLowerCase())),
  );
  const reportParts = isReport
    ? parsed.attachments
        .filter((attachment) => REPORT_PART_TYPES.has(attachment.contentType.toLowerCase()))
        .map((attachment) => attachment.content.toString('utf8').slice(0, REPORT_PART_CHARS))
    : [];
  const headers: Record<string, string> = {};
  for (const name of MACHINE_HEADERS) {
    const value = parsed.headers.get(name);
    if (value !== undefined) headers[name] = stringOf(value).slice(0, 2000);
  }
  const date = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : undefined;
  const from = addressesOf(parsed.from)[0];
  const replyTo = addressesOf(parsed.replyTo)[0];
  return {
    envelope: {
      ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
      sourceHash: createHash('sha256').update(source).digest('hex'),
      ...(date ? { date } : {}),
      receivedAt: receivedAt.toISOString(),
      ...(from ? { from } : {}),
      to: addressesOf(parsed.to).slice(0, 500),
      cc: addressesOf(parsed.cc).slice(0, 500),
      ...(replyTo ? { replyTo } : {}),
      subject: (parsed.subject ?? '').slice(0, 10_000),
      ...(parsed.inReplyTo ? { inReplyTo: firstId(parsed.inReplyTo) } : {}),
      references: idsOf(parsed.references).slice(-500),
      contentType: contentType.value,
      ...(contentType.reportType ? { reportType: contentType.reportType } : {}),
      headers,
      ...(parsed.text ? { text: parsed.text.slice(0, 5_000_000) } : {}),
      ...(parsed.html ? { html: parsed.html.slice(0, 20_000_000) } : {}),
      attachments: attachments.slice(0, 500).map((attachment) => ({
        ...(attachment.filename ? { fileName: attachment.filename.slice(0, 1000) } : {}),
        contentType: attachment.contentType.toLowerCase().slice(0, 200),
        size: attachment.size,
      })),
      reportParts: reportParts.slice(0, 20),
    },
    attachmentBodies: attachments.slice(0, 500).map((attachment) => attachment.content),
  };
}

function headerValue(parsed: ParsedMail, name: string): { value: string; reportType?: string } {
  const header = parsed.headers.get(name);
  if (header && typeof header === 'object' && 'value' in header && typeof header.value === 'string') {
    const params = 'params' in header ? (header.params as Record<string, string>) : {};
    return { value: header.value.toLowerCase(), reportType: params['report-type']?.toLowerCase() };
  }
  return { value: 'text/plain' };
}

function stringOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'value' in value) return String(value.value);
  return String(value);
}

function addressesOf(field: AddressObject | AddressObject[] | undefined): { address: string; name?: string }[] {
  if (!field) return [];
  const flatten = (list: EmailAddress[]): EmailAddress[] =>
    list.flatMap((entry) => (entry.group ? flatten(entry.group) : [entry]));
  return (Array.isArray(field) ? field : [field])
    .flatMap((object) => flatten(object.value))
    .filter((entry) => entry.address)
    .map((entry) => ({
      address: entry.address!.slice(0, 1000),
      ...(entry.name ? { name: entry.name.slice(0, 1000) } : {}),
    }));
}

/** In-Reply-To should hold one id, but some clients put several: the first is the parent. */
function firstId(value: string): string {
  return idsOf(value)[0] ?? value.trim().slice(0, 2000);
}

function idsOf(value: string | string[] | undefined): string[] {
  if (!value) return [];
  const text = Array.isArray(value) ? value.join(' ') : value;
  return (text.match(/<[^<>\s]+>/g) ?? []).map((id) => id.slice(0, 2000));
}
