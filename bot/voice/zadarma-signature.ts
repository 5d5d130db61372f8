import { createHmac } from 'node:crypto';

/**
 * Zadarma's signature: base64 of the HMAC-SHA1 of a string, keyed with the API secret, taken over
 * the hexadecimal digest as PHP's hash_hmac returns it by default, not over the raw bytes
 * (https://github.com/zadarma/user-api-v1, Client::encodeSignature). The same scheme signs the
 * notifications Zadarma posts and the API requests sent to it.
 */
export function zadarmaSignature(text: string, secret: string): string {
  return Buffer.from(createHmac('sha1', secret).update(text, 'utf8').digest('hex')).toString('base64');
}
