import type { Connection } from 'mongoose';
import { contactModels, type ContactRecord } from './contact-models.js';
import type { ContactKeyFields } from './contact-keys.js';

export interface DuplicateMatch {
  contact: ContactRecord;
  /** Which keys matched: 'phone:+7…', 'email:…', 'identity:telegram'. */
  matchedOn: string[];
}

/** The active contact that already holds one of these phones, e-mails or identities, if any. */
export async function findDuplicateContact(
  db: Connection,
  keys: ContactKeyFields,
  exceptId?: string,
): Promise<DuplicateMatch | undefined> {
  const phones = keys.phones.map((phone) => phone.e164);
  const identityKeys = keys.identities.map((identity) => identity.key);
  const alternatives = [
    ...(phones.length ? [{ 'phones.e164': { $in: phones } }] : []),
    ...(keys.emails.length ? [{ emails: { $in: keys.emails } }] : []),
    ...(identityKeys.length ? [{ 'identities.key': { $in: identityKeys } }] : []),
  ];
  if (alternatives.length === 0) return undefined;
  const { Contact } = contactModels(db);
  // One query per kind of key, each on its own unique index: the embedded store plans an $or of
  // them as a scan of every active contact, which grew with the base on each new lead.
  const candidates = await Promise.all(
    alternatives.map((alternative) =>
      Contact.findOne({
        status: 'active',
        ...alternative,
        ...(exceptId ? { _id: { $ne: exceptId } } : {}),
      }).lean<ContactRecord>(),
    ),
  );
  const contact = candidates.find((candidate) => candidate !== null);
  if (!contact) return undefined;
  const matchedOn = [
    ...contact.phones.filter((phone) => phones.includes(phone.e164)).map((phone) => `phone:${phone.e164}`),
    ...contact.emails.filter((email) => keys.emails.includes(email)).map((email) => `email:${email}`),
    ...contact.identities.filter((i) => identityKeys.includes(i.key)).map((i) => `identity:${i.channel}`),
  ];
  return { contact, matchedOn };
}
