import type { EmailEnvelope } from './email-envelope.js';
import { messageIdKey } from './email-message-ids.js';

export type DeliveryReport =
  /** Not a report: a mail from a person (or an autoresponder). */
  | { type: 'none' }
  /** A report that changes nothing here: a delay warning, a read receipt, a success notice. */
  | { type: 'ignored' }
  /** The mail with one of `originalIds` could not be delivered. */
  | { type: 'failed'; originalIds: string[]; status?: string; reason: string };

const DAEMON = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;

/**
 * Reads a bounce. The standard one is a multipart/report with a message/delivery-status part
 * (RFC 6522, RFC 3464) whose per-recipient fields say `Action: failed`, the `Status` code and the
 * server's `Diagnostic-Code`, with the returned message or its headers beside it. Servers that
 * do not follow it still write from MAILER-DAEMON or postmaster and quote the returned headers.
 */
export function readDeliveryReport(envelope: EmailEnvelope): DeliveryReport {
  const fromDaemon = DAEMON.test(envelope.from?.address ?? '');
  if (envelope.contentType === 'multipart/report' && envelope.reportType === 'disposition-notification') {
    return { type: 'ignored' };
  }
  const isDsn = envelope.contentType === 'multipart/report' && envelope.reportType === 'delivery-status';
  if (!isDsn && !fromDaemon) return { type: 'none' };

  const report = [...envelope.reportParts, envelope.text ?? ''].join('\n');
  const unfolded = report.replace(/\r?\n[ \t]+/g, ' ');
  const actions = [...unfolded.matchAll(/^Action:\s*([a-z]+)/gim)].map((match) => match[1]!.toLowerCase());
  // A DSN with no failed recipient says the mail is delayed, relayed or delivered: nothing failed.
  if (actions.length > 0 && !actions.includes('failed')) return { type: 'ignored' };
  const status = /^Status:\s*([245]\.\d{1,3}\.\d{1,3})/im.exec(unfolded)?.[1];
  if (status?.startsWith('4') && actions.length === 0) return { type: 'ignored' };
  const diagnostic = /^Diagnostic-Code:\s*(?:[a-z-]+\s*;\s*)?(.+)$/im.exec(unfolded)?.[1]?.trim();
  const originalIds = [
    ...[...report.matchAll(/^Message-ID:\s*(<[^<>\s]+>)/gim)].map((match) => match[1]!),
    ...(envelope.inReplyTo ? [envelope.inReplyTo] : []),
    ...envelope.references,
  ].map(messageIdKey);
  return {
    type: 'failed',
    originalIds: [...new Set(originalIds)],
    ...(status ? { status } : {}),
    reason: (diagnostic ?? firstLine(envelope.text) ?? envelope.subject).slice(0, 2000),
  };
}

function firstLine(text: string | undefined): string | undefined {
  return text
    ?.split(/\r?\n/)
    .map((line) => line.trim())
    .find(Boolean);
}
