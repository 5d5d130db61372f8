import type { ContactInput } from './contact-schemas.js';
import type { ContactRecord, StoredIdentity } from './contact-models.js';
import { PHONE_CHANNELS } from './normalize-identity.js';

export type ContactKeyFields = Pick<ContactRecord, 'phones' | 'emails' | 'identities'>;

function uniqueBy<T>(items: T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The phones, e-mails and identities a contact is found by, without repeats. A WhatsApp, SMS or
 * phone identity also lands in `phones` and an e-mail identity in `emails`: the number a client
 * writes from on WhatsApp is their phone, and dedupe must see it whichever way it arrived.
 */
export function contactKeys(input: Pick<ContactInput, 'phones' | 'emails' | 'identities'>): ContactKeyFields {
  const identities: StoredIdentity[] = uniqueBy(input.identities ?? [], (identity) => identity.key);
  const phones = uniqueBy(
    [
      ...(input.phones ?? []),
      ...identities
        .filter((identity) => PHONE_CHANNELS.has(identity.channel))
        .map((identity) => ({ raw: identity.externalId, e164: identity.externalId })),
    ],
    (phone) => phone.e164,
  );
  const emails = uniqueBy(
    [...(input.emails ?? []), ...identities.filter((i) => i.channel === 'email').map((i) => i.externalId)],
    (email) => email,
  );
  return { phones, emails, identities };
}

/** The keys of `incoming` that `existing` does not have yet. */
export function missingKeys(existing: ContactKeyFields, incoming: ContactKeyFields): ContactKeyFields {
  const phones = new Set(existing.phones.map((phone) => phone.e164));
  const emails = new Set(existing.emails);
  const identities = new Set(existing.identities.map((identity) => identity.key));
  return {
    phones: incoming.phones.filter((phone) => !phones.has(phone.e164)),
    emails: incoming.emails.filter((email) => !emails.has(email)),
    identities: incoming.identities.filter((identity) => !identities.has(identity.key)),
  };
}
