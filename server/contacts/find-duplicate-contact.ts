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
  const contact = await Contact.findOne({
    status: 'active',
    $or: alternatives,
    ...(exceptId ? { _id: { $ne: exceptId } } : {}),
  }).lean<ContactRecord>();
  if (!contact) return undefined;
  const matchedOn = [
    ...contact.phones.filter((phone) => phones.includes(phone.e164)).map((phone) => `phone:${phone.e164}`),
    ...contact.emails.filter((email) => keys.emails.includes(email)).map((email) => `email:${email}`),
    ...contact.identities.filter((i) => identityKeys.includes(i.key)).map((i) => `identity:${i.channel}`),
  ];
  return { contact, matchedOn };
}
