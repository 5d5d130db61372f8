import MailComposer, { type MailComposerOptions } from 'nodemailer/lib/mail-composer';

/**
 * A mail as a client's mail program would write it (RFC 5322, MIME), built with nodemailer's
 * MailComposer: for delivering into a test mailbox.
 */
export function composeMail(options: MailComposerOptions): Promise<Buffer> {
  return new MailComposer({ date: new Date(), ...options }).compile().build();
}

/** A delivery status notification (RFC 3464 in a RFC 6522 multipart/report) returning a mail. */
export function bounceOf(options: {
  to: string;
  recipient: string;
  returnedMessageId: string;
  status?: string;
  diagnostic?: string;
}): string {
  const status = options.status ?? '5.1.1';
  const diagnostic = options.diagnostic ?? `550 5.1.1 <${options.recipient}>: Recipient address rejected: User unknown`;
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.client.test>',
    `To: ${options.to}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <bounce-${Date.now()}-${Math.random().toString(36).slice(2)}@mx.client.test>`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-boundary"',
    '',
    '--dsn-boundary',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.client.test.',
    "I'm sorry to have to inform you that your message could not be delivered.",
    '',
    '--dsn-boundary',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.client.test',
    '',
    `Final-Recipient: rfc822; ${options.recipient}`,
    `Original-Recipient: rfc822;${options.recipient}`,
    'Action: failed',
    `Status: ${status}`,
    `Diagnostic-Code: smtp; ${diagnostic}`,
    '',
    '--dsn-boundary',
    'Content-Type: text/rfc822-headers',
    '',
    `From: ${options.to}`,
    `To: ${options.recipient}`,
    'Subject: Re: question',
    `Message-ID: ${options.returnedMessageId}`,
    '',
    '--dsn-boundary--',
    '',
  ].join('\r\n');
}
