import { createHmac, timingSafeEqual } from 'node:crypto';
import type { InboundRequest } from '../channels/channel-adapter.js';
import { WebhookAuthError } from '../channels/channel-errors.js';

/**
 * E-mail arrives by IMAP, not by webhook: the mailbox reader hands each envelope to the adapter
 * as a request signed with the account's password. The signature is what keeps a POST to
 * `/hooks/email/<id>` from slipping a made-up mail into the inbox.
 */
export const EMAIL_SIGNATURE_HEADER = 'x-email-envelope-signature';

export function signEmailEnvelope(rawBody: Buffer, password: string): string {
  return createHmac('sha256', `email-envelope:${password}`).update(rawBody).digest('hex');
}

/** Throws WebhookAuthError unless the request carries the envelope's signature with this password. */
export function verifyEmailEnvelope(request: InboundRequest, password: string): void {
  const header = request.headers[EMAIL_SIGNATURE_HEADER];
  const given = Array.isArray(header) ? (header.length === 1 ? header[0] : undefined) : header;
  if (!given) throw new WebhookAuthError('The e-mail envelope is not signed');
  const expected = Buffer.from(signEmailEnvelope(request.rawBody, password), 'hex');
  const actual = Buffer.from(/^[0-9a-f]{64}$/.test(given) ? given : '', 'hex');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new WebhookAuthError('The e-mail envelope signature does not match');
  }
}

/** The request the mailbox reader makes of one envelope. */
export function signedEnvelopeRequest(envelope: unknown, password: string): InboundRequest {
  const rawBody = Buffer.from(JSON.stringify(envelope));
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', [EMAIL_SIGNATURE_HEADER]: signEmailEnvelope(rawBody, password) },
    query: {},
    rawBody,
  };
}
