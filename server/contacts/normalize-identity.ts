import { CHANNEL_TYPES } from '../../bot/channels/channel-types.js';
import { normalizePhone } from './normalize-phone.js';

/** Where an identity comes from: every channel type, and a phone number given by hand. */
export const CHANNELS = [...CHANNEL_TYPES, 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Channels whose external id is a phone number, so it can match a contact's phones. */
export const PHONE_CHANNELS: ReadonlySet<Channel> = new Set(['whatsapp', 'phone', 'sms', 'voice']);

/**
 * The one spelling of an external id that uniqueness and lookups compare: phone numbers in
 * E.164, e-mail addresses lower-cased, anything else as the provider sent it. Undefined when a
 * phone-like id is not a valid number.
 */
export function normalizeIdentityId(channel: Channel, externalId: string): string | undefined {
  const id = externalId.trim();
  switch (channel) {
    case 'whatsapp':
      // WhatsApp Cloud API's wa_id is the number with its country code but without '+'
      // (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples).
      return normalizePhone(/^\d+$/.test(id) ? `+${id}` : id);
    case 'phone':
    case 'sms':
    case 'voice':
      return normalizePhone(id);
    case 'email':
      return id.toLowerCase();
    case 'telegram':
    case 'webchat':
    case 'vk':
      return id;
  }
}

/** The single indexed value that makes (channel, accountId, externalId) unique across contacts. */
export function identityKey(identity: { channel: Channel; accountId?: string; externalId: string }): string {
  return JSON.stringify([identity.channel, identity.accountId ?? '', identity.externalId]);
}
