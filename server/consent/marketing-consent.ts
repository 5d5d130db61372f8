import { Types, type Connection } from 'mongoose';
import { contactModels, type ContactRecord } from '../contacts/contact-models.js';
import type { Channel } from '../contacts/normalize-identity.js';

/** Why a marketing message may not go out: the contact opted out of the channel, or is no longer active. */
export type MarketingConsent =
  | { allowed: true }
  | { allowed: false; reason: 'opted-out'; via?: NonNullable<ContactRecord['consent'][Channel]>['via'] }
  | { allowed: false; reason: 'contact-inactive' };

/** The same answer for a contact already read (an audience batch), without a read of its own. */
export function marketingConsentOf(
  contact: Pick<ContactRecord, 'consent'> & Partial<Pick<ContactRecord, 'status'>>,
  channel: Channel,
): MarketingConsent {
  if (contact.status && contact.status !== 'active') return { allowed: false, reason: 'contact-inactive' };
  const entry = contact.consent?.[channel];
  if (entry?.status === 'opted-out') {
    return { allowed: false, reason: 'opted-out', ...(entry.via ? { via: entry.via } : {}) };
  }
  return { allowed: true };
}

/**
 * Whether a contact may get a marketing message on a channel now: asked by the broadcast engine
 * right before each send, so an opt-out that came after the audience was frozen (a STOP to the
 * previous broadcast, the unsubscribe link, a blocked bot) still holds. Only consent: how many
 * marketing messages the contact got lately is the engine's own count.
 */
export async function marketingConsent(
  db: Connection,
  contactId: string | Types.ObjectId,
  channel: Channel,
): Promise<MarketingConsent> {
  const contact = await contactModels(db)
    .Contact.findById(new Types.ObjectId(contactId), { status: 1, [`consent.${channel}`]: 1 })
    .lean<Pick<ContactRecord, 'status' | 'consent'>>();
  if (!contact) return { allowed: false, reason: 'contact-inactive' };
  return marketingConsentOf(contact, channel);
}
