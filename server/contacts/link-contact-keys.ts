import type { ApiServices } from '../api/api-services.js';
import { recordAudit } from '../audit/record-audit.js';
import type { ContactActor } from './contact-actor.js';
import { contactKeys, missingKeys, type ContactKeyFields } from './contact-keys.js';
import { contactModels, type ContactRecord } from './contact-models.js';
import type { ContactInput } from './contact-schemas.js';
import { isDuplicateKeyError } from './is-duplicate-key-error.js';
import { toContactView } from './to-contact-view.js';

/** Drops the keys some other active contact holds: linking must not steal them (that is a merge). */
async function unclaimed(services: Pick<ApiServices, 'db'>, contactId: ContactRecord['_id'], keys: ContactKeyFields) {
  const { Contact } = contactModels(services.db);
  const others = await Contact.find({
    _id: { $ne: contactId },
    status: 'active',
    $or: [
      { 'phones.e164': { $in: keys.phones.map((phone) => phone.e164) } },
      { emails: { $in: keys.emails } },
      { 'identities.key': { $in: keys.identities.map((identity) => identity.key) } },
    ],
  })
    .select({ phones: 1, emails: 1, identities: 1 })
    .lean<Pick<ContactRecord, 'phones' | 'emails' | 'identities'>[]>();
  return others.reduce((left, other) => missingKeys(other, left), keys);
}

/**
 * Adds to an existing contact the phones, e-mails and identities of `input` it lacks (a client
 * who wrote on Telegram now leaves a phone in a form: one contact, reachable both ways).
 */
export async function linkContactKeys(
  services: Pick<ApiServices, 'db'>,
  existing: ContactRecord,
  input: Pick<ContactInput, 'phones' | 'emails' | 'identities'>,
  actor: ContactActor,
): Promise<ContactRecord> {
  const candidates = missingKeys(existing, contactKeys(input));
  const fresh = await unclaimed(services, existing._id, candidates);
  if (fresh.phones.length + fresh.emails.length + fresh.identities.length === 0) return existing;
  const { Contact } = contactModels(services.db);
  let linked: ContactRecord | null;
  try {
    linked = await Contact.findOneAndUpdate(
      { _id: existing._id, status: 'active' },
      {
        $addToSet: {
          phones: { $each: fresh.phones },
          emails: { $each: fresh.emails },
          identities: { $each: fresh.identities },
        },
      },
      { returnDocument: 'after' },
    ).lean<ContactRecord>();
  } catch (error) {
    // Another contact claimed one of the keys meanwhile; the contact stays as it was.
    if (isDuplicateKeyError(error)) return existing;
    throw error;
  }
  if (!linked) return existing;
  await recordAudit(services, {
    actor,
    action: 'contact.update',
    entity: 'contact',
    entityId: existing._id.toHexString(),
    before: toContactView(existing),
    after: toContactView(linked),
    meta: { reason: 'linked keys of a duplicate create' },
  });
  return linked;
}
