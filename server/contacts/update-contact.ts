import { Types } from 'mongoose';
import { notFound } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { recordAudit } from '../audit/record-audit.js';
import { validateCustomFields } from '../custom-fields/validate-custom-fields.js';
import { contactKeys } from './contact-keys.js';
import { contactModels, type ContactRecord } from './contact-models.js';
import type { ContactPatch, ContactView } from './contact-schemas.js';
import { contactScope } from './contact-scope.js';
import { DuplicateContactError } from './duplicate-contact-error.js';
import { findDuplicateContact } from './find-duplicate-contact.js';
import { isDuplicateKeyError } from './is-duplicate-key-error.js';
import { toContactView } from './to-contact-view.js';
import { toStoredConsent } from './to-stored-consent.js';

const objectId = (id: string) => new Types.ObjectId(id);

function toUpdate(patch: ContactPatch, before: ContactRecord) {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, ''> = {};
  const {
    phones,
    emails,
    identities,
    customFields,
    consent,
    companyId,
    ownerId,
    teamIds,
    tags,
    firstTouchAt,
    ...plain
  } = patch;
  for (const [key, value] of Object.entries(plain)) {
    if (value === null) $unset[key] = '';
    else if (value !== undefined) $set[key] = value;
  }
  if (phones || emails || identities) {
    Object.assign(
      $set,
      contactKeys({
        phones: phones ?? before.phones,
        emails: emails ?? before.emails,
        identities: identities ?? before.identities,
      }),
    );
  }
  if (companyId === null) $unset.companyId = '';
  else if (companyId) $set.companyId = objectId(companyId);
  if (ownerId === null) $unset.ownerId = '';
  else if (ownerId) $set.ownerId = objectId(ownerId);
  if (teamIds) $set.teamIds = [...new Set(teamIds)].map(objectId);
  if (tags) $set.tags = [...new Set(tags)];
  if (firstTouchAt) $set.firstTouchAt = new Date(firstTouchAt);
  // Consent is kept per channel: a patch naming one channel leaves the others as they were.
  for (const [channel, entry] of Object.entries(toStoredConsent(consent))) $set[`consent.${channel}`] = entry;
  for (const [key, value] of Object.entries(customFields ?? {})) {
    if (value === null) $unset[`customFields.${key}`] = '';
    else $set[`customFields.${key}`] = value;
  }
  return { $set, $unset };
}

/**
 * Changes a contact the user may see. New phones, e-mails or identities that another active
 * contact holds answer 409 naming it (merge them instead).
 */
export async function updateContact(
  services: Pick<ApiServices, 'db'>,
  id: string,
  patch: ContactPatch,
  user: AuthUser,
): Promise<ContactView> {
  const { Contact } = contactModels(services.db);
  const before = await Contact.findOne({ _id: id, status: 'active', ...contactScope(user) }).lean<ContactRecord>();
  if (!before) throw notFound('Contact');
  await validateCustomFields(services.db, 'contact', patch.customFields ?? {});
  const update = toUpdate(patch, before);
  const keys = contactKeys({ phones: patch.phones, emails: patch.emails, identities: patch.identities });
  const duplicate = await findDuplicateContact(services.db, keys, id);
  if (duplicate) throw new DuplicateContactError(duplicate.contact, duplicate.matchedOn);
  let after: ContactRecord | null;
  try {
    after = await Contact.findOneAndUpdate({ _id: id, status: 'active' }, update, {
      returnDocument: 'after',
    }).lean<ContactRecord>();
  } catch (error) {
    const winner = isDuplicateKeyError(error) ? await findDuplicateContact(services.db, keys, id) : undefined;
    if (winner) throw new DuplicateContactError(winner.contact, winner.matchedOn);
    throw error;
  }
  if (!after) throw notFound('Contact');
  const view = toContactView(after);
  await recordAudit(services, {
    actor: user,
    action: 'contact.update',
    entity: 'contact',
    entityId: id,
    before: toContactView(before),
    after: view,
  });
  return view;
}
