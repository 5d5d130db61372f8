import type { ContactRecord } from '../contacts/contact-models.js';
import { CHANNELS, type Channel } from '../contacts/normalize-identity.js';

/**
 * What makes a channel reachable besides an identity on it: a phone number for SMS, calls and
 * WhatsApp (a business may open a WhatsApp conversation with any number by an approved template,
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates), an
 * address for e-mail. Telegram, VK and the widget need the person to have written first.
 */
const ALSO_BY: Record<Channel, 'phones' | 'emails' | undefined> = {
  telegram: undefined,
  whatsapp: 'phones',
  webchat: undefined,
  vk: undefined,
  sms: 'phones',
  voice: 'phones',
  phone: 'phones',
  email: 'emails',
};

/** The contacts query for "can be reached on this channel". */
export function channelReachFilter(channel: Channel): Record<string, unknown> {
  const byIdentity = { 'identities.channel': channel };
  const field = ALSO_BY[channel];
  if (!field) return byIdentity;
  // The same tests as the partial filters of the contacts' unique phone and e-mail indexes.
  const present = field === 'phones' ? { 'phones.e164': { $exists: true } } : { emails: { $type: 'string' } };
  return { $or: [byIdentity, present] };
}

/** The same rule for a contact already loaded: the channels a message could go out on. */
export function reachableChannels(contact: Pick<ContactRecord, 'identities' | 'phones' | 'emails'>): Channel[] {
  const byIdentity = new Set(contact.identities.map((identity) => identity.channel));
  return CHANNELS.filter((channel) => {
    const field = ALSO_BY[channel];
    return byIdentity.has(channel) || (field !== undefined && contact[field].length > 0);
  });
}
