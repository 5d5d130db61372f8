import { createHash, timingSafeEqual } from 'node:crypto';
import type { InboundRequest } from '../channels/channel-adapter.js';
import { WebhookAuthError } from '../channels/channel-errors.js';

/**
 * Throws WebhookAuthError unless the event carries the account's secret key. VK signs nothing: the
 * Callback API's only proof of origin is the `secret` field it copies into every event body
 * (https://dev.vk.com/api/callback/getting-started), so a body without one is refused too.
 */
export function verifyVkSecret(request: InboundRequest, secretKey: string): void {
  const secret = secretOf(request.rawBody);
  if (secret === undefined || secret === '') throw new WebhookAuthError('The VK event carries no secret key');
  if (!secretMatches(secret, secretKey)) throw new WebhookAuthError('The VK secret key does not match');
}

/** Hashing first gives timingSafeEqual equal lengths, so the comparison leaks neither content nor length. */
export function secretMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The `secret` of a JSON object body, read before anything else so a malformed event can still be told from a forged one. */
function secretOf(rawBody: Buffer): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || !('secret' in json)) return undefined;
  return typeof json.secret === 'string' ? json.secret : undefined;
}
