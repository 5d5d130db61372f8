import { Types, type Connection } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { recordAudit } from '../audit/record-audit.js';
import { validateCustomFields } from '../custom-fields/validate-custom-fields.js';
import type { ContactActor } from './contact-actor.js';
import { contactKeys } from './contact-keys.js';
import { contactModels, type ContactRecord } from './contact-models.js';
import type { ContactInput } from './contact-schemas.js';
import { DuplicateContactError } from './duplicate-contact-error.js';
import { findDuplicateContact } from './find-duplicate-contact.js';
import { isDuplicateKeyError } from './is-duplicate-key-error.js';
import { toContactView } from './to-contact-view.js';
import { toStoredConsent } from './to-stored-consent.js';
import { initModel } from '../db/init-model.js';

const objectId = (id: string) => new Types.ObjectId(id);

function withoutNulls(values: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));
}

function newContact(input: ContactInput, actor: ContactActor): Omit<ContactRecord, '_id' | 'createdAt' | 'updatedAt'> {
  const now = new Date();
  const teamIds = input.teamIds ?? actor?.teamIds ?? [];
  const ownerId = input.ownerId ?? actor?.id;
  return {
    status: 'active',
    name: input.name ?? '',
    ...contactKeys(input),
    ...(input.companyId ? { companyId: objectId(input.companyId) } : {}),
    ...(ownerId ? { ownerId: objectId(ownerId) } : {}),
    teamIds: [...new Set(teamIds)].map(objectId),
    tags: [...new Set(input.tags ?? [])],
    ...(input.region ? { region: input.region } : {}),
    customFields: withoutNulls(input.customFields),
    ...(input.source ? { source: input.source } : {}),
    ...(input.utm ? { utm: input.utm } : {}),
    // The first touch is when the client first reached the company; by default, now.
    firstTouchAt: input.firstTouchAt ? new Date(input.firstTouchAt) : now,
    consent: toStoredConsent(input.consent, now),
    ...(input.language ? { language: input.language } : {}),
    ...(actor ? { createdById: objectId(actor.id) } : {}),
  };
}

/**
 * Writes a new contact unless an active one already has one of its phones, e-mails or channel
 * identities; then it throws DuplicateContactError naming that contact. The unique indexes catch
 * the race where two requests create the same person at once: the loser gets the same error.
 */
export async function createContact(
  services: Pick<ApiServices, 'db'>,
  input: ContactInput,
  actor: ContactActor,
): Promise<ContactRecord> {
  const db: Connection = services.db;
  await validateCustomFields(db, 'contact', input.customFields ?? {});
  const keys = contactKeys(input);
  const duplicate = await findDuplicateContact(db, keys);
  if (duplicate) throw new DuplicateContactError(duplicate.contact, duplicate.matchedOn);
  const { Contact } = contactModels(db);
  await initModel(Contact);
  let created: ContactRecord;
  try {
    created = (await Contact.create(newContact(input, actor))).toObject();
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const winner = await findDuplicateContact(db, keys);
    if (winner) throw new DuplicateContactError(winner.contact, winner.matchedOn);
    throw error;
  }
  await recordAudit(services, {
    actor,
    action: 'contact.create',
    entity: 'contact',
    entityId: created._id.toHexString(),
    after: toContactView(created),
  });
  return created;
}
