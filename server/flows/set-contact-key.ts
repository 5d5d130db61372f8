import type { ApiServices } from '../api/api-services.js';
import { contactModels, type ContactRecord } from '../contacts/contact-models.js';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import { normalizePhone } from '../contacts/normalize-phone.js';
import type { EffectOutcome } from './perform-flow-effect.js';
import { skip } from './skip-reasons.js';

/**
 * A flow saving `contact.phone` or `contact.email` (an ask step's answer): the value becomes the
 * contact's first phone or e-mail, the one flows read. A number another contact already has is
 * not taken from it: merging two contacts is a person's decision.
 */
export async function setContactKey(
  services: Pick<ApiServices, 'db'>,
  contactId: string,
  field: 'phone' | 'email',
  value: unknown,
): Promise<EffectOutcome> {
  const { Contact } = contactModels(services.db);
  const contact = await Contact.findById(contactId).lean<ContactRecord>();
  if (!contact) return skip('contactGone');
  const raw = String(value ?? '').trim();
  let $set: Partial<ContactRecord>;
  if (field === 'phone') {
    const e164 = normalizePhone(raw);
    if (!e164) return skip('notAPhone', { value: raw });
    if (contact.phones[0]?.e164 === e164) return undefined;
    $set = { phones: [{ raw, e164 }, ...contact.phones.filter((phone) => phone.e164 !== e164)] };
  } else {
    const email = raw.toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) return skip('notAnEmail', { value: raw });
    if (contact.emails[0] === email) return undefined;
    $set = { emails: [email, ...contact.emails.filter((known) => known !== email)] };
  }
  try {
    await Contact.updateOne({ _id: contact._id }, { $set });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return skip('keyTaken', { field });
  }
  return undefined;
}
