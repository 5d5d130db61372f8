import { createHmac, timingSafeEqual } from 'node:crypto';
import type { InboundRequest } from '../channels/channel-adapter.js';
import { WebhookAuthError } from '../channels/channel-errors.js';

/** `sha256=` and the hex HMAC-SHA256 of the raw body (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads). */
const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * Throws WebhookAuthError unless x-hub-signature-256 is the HMAC of the exact bytes Meta sent,
 * keyed with the app secret. The bytes matter: Meta signs its own escaping of non-ASCII characters,
 * so a re-serialized body would not match.
 */
export function verifyWhatsappSignature(request: InboundRequest, appSecret: string): void {
  const header = request.headers['x-hub-signature-256'];
  if (typeof header !== 'string') throw new WebhookAuthError('The x-hub-signature-256 header is missing');
  const match = SIGNATURE.exec(header.trim());
  if (!match?.[1]) throw new WebhookAuthError('The x-hub-signature-256 header is not sha256=<64 hex digits>');
  const expected = createHmac('sha256', appSecret).update(request.rawBody).digest();
  // Both sides are 32 bytes here: the pattern above already refused any other length.
  if (!timingSafeEqual(Buffer.from(match[1], 'hex'), expected)) {
    throw new WebhookAuthError('The x-hub-signature-256 signature does not match the body');
  }
}
