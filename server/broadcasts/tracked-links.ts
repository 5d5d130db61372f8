import { createHmac, hkdfSync } from 'node:crypto';
import type { Types } from 'mongoose';
import type { OutboundMessage } from '../../bot/channels/channel-events.js';
import type { ApiServices } from '../api/api-services.js';
import { loadSecretsKey } from '../channels/secret-box.js';
import type { Config } from '../config/config.js';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import { broadcastLinkModels } from './broadcast-link-model.js';
import type { BroadcastChannel } from './broadcast-model.js';

export type LinkConfig = Pick<Config, 'publicUrl' | 'CHANNEL_SECRETS_KEY' | 'dataDir'>;

/** 96 bits of HMAC in 16 base64url characters: unguessable, and short in an SMS. */
const CODE_BYTES = 12;
export const LINK_CODE = /^[A-Za-z0-9_-]{16}$/;

// A link in plain text ends at a space, a quote or an angle bracket; trailing punctuation is the sentence's.
const TEXT_URL = /https?:\/\/[^\s<>"'«»]+/g;
const TRAILING = /[.,;:!?…)\]]+$/;
const HREF = /(href\s*=\s*)(["'])(https?:\/\/[^"']+)\2/gi;

const keys = new Map<string, Buffer>();

/** A key of its own derived from the channel secrets key (as the unsubscribe links'), shared by every process. */
function linkKey(config: LinkConfig): Buffer {
  const cacheKey = `${config.CHANNEL_SECRETS_KEY ?? ''}|${config.dataDir}`;
  const known = keys.get(cacheKey);
  if (known) return known;
  const key = Buffer.from(
    hkdfSync(
      'sha256',
      loadSecretsKey(config.CHANNEL_SECRETS_KEY, config.dataDir),
      Buffer.alloc(0),
      'broadcast-links',
      32,
    ),
  );
  keys.set(cacheKey, key);
  return key;
}

/** The code of one recipient's link: the same for the same (broadcast, contact, address), so a resend gives the same link. */
export function linkCode(config: LinkConfig, broadcastId: string, contactId: string, url: string): string {
  return createHmac('sha256', linkKey(config))
    .update(`${broadcastId}:${contactId}:${url}`)
    .digest()
    .subarray(0, CODE_BYTES)
    .toString('base64url');
}

const publicBase = (config: LinkConfig) => config.publicUrl.replace(/\/+$/, '');

function splitTrailing(match: string): [string, string] {
  const tail = TRAILING.exec(match)?.[0] ?? '';
  // A closing parenthesis belongs to the address when it opened one (Wikipedia-style links).
  const keep = tail.startsWith(')') && match.includes('(') ? 1 : 0;
  const cut = tail.length - keep;
  return cut > 0 ? [match.slice(0, -cut), match.slice(-cut)] : [match, ''];
}

const decodeAmpersands = (url: string) => url.replace(/&amp;/g, '&');

export interface TrackedRecipient {
  broadcastId: Types.ObjectId;
  contactId: Types.ObjectId;
  channel: BroadcastChannel;
}

/**
 * A broadcast message with every http(s) link (in its text, its HTML part's `href`s and its URL
 * buttons) replaced by the recipient's tracked link `${publicUrl}/l/<code>`, the links stored
 * first so a click never finds an unknown code. Our own links (unsubscribe, tracked) stay.
 */
export async function trackLinks(
  services: Pick<ApiServices, 'db' | 'config'>,
  message: OutboundMessage,
  recipient: TrackedRecipient,
): Promise<OutboundMessage> {
  const base = publicBase(services.config);
  const ours = (url: string) => url.startsWith(`${base}/`);
  const codes = new Map<string, string>();
  const track = (url: string): string => {
    if (ours(url)) return url;
    let code = codes.get(url);
    if (!code) {
      code = linkCode(services.config, recipient.broadcastId.toHexString(), recipient.contactId.toHexString(), url);
      codes.set(url, code);
    }
    return `${base}/l/${code}`;
  };
  const inText = (text: string) =>
    text.replace(TEXT_URL, (match) => {
      const [url, tail] = splitTrailing(match);
      return track(url) + tail;
    });
  const tracked: OutboundMessage = {
    ...message,
    ...(message.text ? { text: inText(message.text) } : {}),
    ...(message.buttons
      ? { buttons: message.buttons.map((button) => (button.url ? { ...button, url: track(button.url) } : button)) }
      : {}),
    ...(message.email
      ? {
          email: {
            ...message.email,
            ...(message.email.html
              ? {
                  html: message.email.html.replace(
                    HREF,
                    (_match, prefix: string, quote: string, url: string) =>
                      `${prefix}${quote}${track(decodeAmpersands(url))}${quote}`,
                  ),
                }
              : {}),
          },
        }
      : {}),
  };
  const { Link } = broadcastLinkModels(services.db);
  const createdAt = new Date();
  await Promise.all(
    [...codes].map(([url, code]) =>
      Link.updateOne(
        { code },
        { $setOnInsert: { code, url, ...recipient, clicks: 0, createdAt } },
        { upsert: true },
      ).catch((error: unknown) => {
        // Two writers of the same code wrote the same row: the one that lost the race has nothing to add.
        if (!isDuplicateKeyError(error)) throw error;
      }),
    ),
  );
  return tracked;
}
