import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { loadSecretsKey } from '../channels/secret-box.js';
import type { Config } from '../config/config.js';
import { CHANNELS, type Channel } from '../contacts/normalize-identity.js';

export type UnsubscribeConfig = Pick<Config, 'publicUrl' | 'CHANNEL_SECRETS_KEY' | 'dataDir'>;

/** 128 bits of HMAC: unguessable, and short enough for a link a person may copy. */
const SIGNATURE_BYTES = 16;

const OBJECT_ID = /^[0-9a-f]{24}$/;

const keys = new Map<string, Buffer>();

/**
 * A key of its own, derived from the channel secrets key (like the file links'), so a leak of one
 * purpose serves no other. Every process of an installation shares the secrets key, so a link made
 * by the worker opens on the web process.
 */
function unsubscribeKey(config: UnsubscribeConfig): Buffer {
  const cacheKey = `${config.CHANNEL_SECRETS_KEY ?? ''}|${config.dataDir}`;
  const known = keys.get(cacheKey);
  if (known) return known;
  const secretsKey = loadSecretsKey(config.CHANNEL_SECRETS_KEY, config.dataDir);
  const key = Buffer.from(hkdfSync('sha256', secretsKey, Buffer.alloc(0), 'unsubscribe-links', 32));
  keys.set(cacheKey, key);
  return key;
}

function signature(config: UnsubscribeConfig, contactId: string, channel: Channel): Buffer {
  return createHmac('sha256', unsubscribeKey(config))
    .update(`${contactId}:${channel}`)
    .digest()
    .subarray(0, SIGNATURE_BYTES);
}

/**
 * The public link that opts a contact out of one channel: `${publicUrl}/u/<token>`, the token
 * being `<contactId>.<channel>.<HMAC of both>`. It never expires: a person may unsubscribe from a
 * mail months old (RFC 8058 asks the URI to keep working), and it does nothing but opt out.
 */
export function unsubscribeLink(config: UnsubscribeConfig, contactId: string, channel: Channel): string {
  const token = `${contactId}.${channel}.${signature(config, contactId, channel).toString('base64url')}`;
  return `${config.publicUrl.replace(/\/+$/, '')}/u/${token}`;
}

/** Whom a token opts out of what, or undefined for a damaged or forged one (compared in constant time). */
export function readUnsubscribeToken(
  config: UnsubscribeConfig,
  token: string,
): { contactId: string; channel: Channel } | undefined {
  const [contactId, channelName, signed, ...rest] = token.split('.');
  if (rest.length > 0 || !contactId || !channelName || !signed || !OBJECT_ID.test(contactId)) return undefined;
  const channel = CHANNELS.find((candidate) => candidate === channelName);
  if (!channel) return undefined;
  // Compared as text: base64url's last character has spare bits, and decoding would let several spellings pass.
  const given = Buffer.from(signed);
  const expected = Buffer.from(signature(config, contactId, channel).toString('base64url'));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return { contactId, channel };
}
