import { Types } from 'mongoose';
import { badRequest, conflict, notFound } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { recordAudit } from '../audit/record-audit.js';
import { addNote } from '../notes/add-note.js';
import { noteModels } from '../notes/note-models.js';
import { contactKeys } from './contact-keys.js';
import { contactModels, type ContactRecord } from './contact-models.js';
import type { ContactView } from './contact-schemas.js';
import { contactScope } from './contact-scope.js';
import { toContactView } from './to-contact-view.js';
import { forgetKeptDaysOfClients } from '../reports/forget-kept-deal-days.js';

const { say } = errorTexts;

/**
 * Collections whose records point at a contact through `contactId`. A domain that links records
 * to contacts adds its collection here, so a merge moves them too.
 */
export const CONTACT_LINKED_COLLECTIONS = [
  'deals',
  'leads',
  'tasks',
  'appointments',
  'notes',
  'paymentschedules',
  'conversations',
  'messages',
];

const union = <T>(left: T[], right: T[], keyOf: (item: T) => string) => {
  const seen = new Set(left.map(keyOf));
  return [...left, ...right.filter((item) => !seen.has(keyOf(item)))];
};

/** The survivor after taking in the source: its own values win, the source fills the gaps. */
function mergedFields(survivor: ContactRecord, source: ContactRecord) {
  const consent = { ...source.consent, ...survivor.consent };
  for (const [channel, entry] of Object.entries(source.consent)) {
    // An opt-out on either record stands: messaging someone who asked us not to is the worse mistake.
    if (entry?.status === 'opted-out') consent[channel as keyof typeof consent] = entry;
  }
  const firstTouches = [survivor.firstTouchAt, source.firstTouchAt].filter((at): at is Date => at instanceof Date);
  return {
    name: survivor.name || source.name,
    ...contactKeys({
      phones: union(survivor.phones, source.phones, (phone) => phone.e164),
      emails: union(survivor.emails, source.emails, (email) => email),
      identities: union(survivor.identities, source.identities, (identity) => identity.key),
    }),
    teamIds: union(survivor.teamIds, source.teamIds, (id) => id.toHexString()),
    tags: union(survivor.tags, source.tags, (tag) => tag),
    customFields: { ...source.customFields, ...survivor.customFields },
    consent,
    ...(firstTouches.length ? { firstTouchAt: new Date(Math.min(...firstTouches.map((at) => at.getTime()))) } : {}),
    ...Object.fromEntries(
      (['companyId', 'ownerId', 'region', 'source', 'utm', 'language'] as const)
        .map((field) => [field, survivor[field] ?? source[field]])
        .filter(([, value]) => value !== undefined),
    ),
  };
}

async function moveLinkedRecords(services: Pick<ApiServices, 'db'>, from: Types.ObjectId, to: Types.ObjectId) {
  const moved: Record<string, number> = {};
  for (const name of CONTACT_LINKED_COLLECTIONS) {
    const collection = services.db.collection(name);
    // Other domains may keep the id as an ObjectId or as its hex string; each keeps its own form.
    const asObjectId = await collection.updateMany({ contactId: from }, { $set: { contactId: to } });
    const asString = await collection.updateMany(
      { contactId: from.toHexString() },
      { $set: { contactId: to.toHexString() } },
    );
    moved[name] = asObjectId.modifiedCount + asString.modifiedCount;
  }
  const notes = await noteModels(services.db).Note.updateMany(
    { entity: 'contact', entityId: from },
    { $set: { entityId: to } },
  );
  moved.timeline = notes.modifiedCount;
  // The reports keep each day's new deals with their client; the moved deals' days are counted again.
  if (moved.deals) await forgetKeptDaysOfClients(services.db, [to]);
  // Contacts merged into the source earlier now point at the survivor: no chains to follow.
  await contactModels(services.db).Contact.updateMany({ mergedInto: from }, { $set: { mergedInto: to } });
  return moved;
}

/**
 * Merges `sourceId` into `survivorId`. In order, each step idempotent, so a retry after any
 * failure (or a repeated request) finishes the job without doing anything twice:
 * 1. the source is marked merged (it leaves lists and the unique key indexes, its data stays);
 * 2. the survivor takes its phones, e-mails, identities, tags, teams and missing fields;
 * 3. deals, tasks, notes and the other linked records move to the survivor;
 * 4. the audit log and the survivor's timeline record the merge, once (the note's dedupe key).
 */
export async function mergeContacts(
  services: Pick<ApiServices, 'db'>,
  survivorId: string,
  sourceId: string,
  user: AuthUser,
): Promise<ContactView> {
  if (survivorId === sourceId) throw badRequest(say('mergeIntoItself'));
  const { Contact } = contactModels(services.db);
  const scope = contactScope(user);
  const survivor = await Contact.findOne({ _id: survivorId, status: 'active', ...scope }).lean<ContactRecord>();
  if (!survivor) throw notFound('Contact');
  const source = await Contact.findOne({ _id: sourceId, status: { $ne: 'deleted' }, ...scope }).lean<ContactRecord>();
  if (!source) throw notFound('Source contact');
  if (source.mergedInto && !source.mergedInto.equals(survivor._id)) {
    throw conflict(say('alreadyMerged'), {
      mergedInto: source.mergedInto.toHexString(),
    });
  }
  const dedupeKey = `merge:${sourceId}`;
  if (await noteModels(services.db).Note.exists({ dedupeKey })) return toContactView(survivor);

  await Contact.updateOne(
    { _id: source._id, status: 'active' },
    { $set: { status: 'merged', mergedInto: survivor._id, mergedAt: new Date() } },
  );
  const after = await Contact.findOneAndUpdate(
    { _id: survivor._id, status: 'active' },
    { $set: mergedFields(survivor, source) },
    { returnDocument: 'after' },
  ).lean<ContactRecord>();
  if (!after) throw notFound('Contact');
  const moved = await moveLinkedRecords(services, source._id, survivor._id);

  const view = toContactView(after);
  const sourceView = toContactView(source);
  await recordAudit(services, {
    actor: user,
    action: 'contact.merge',
    entity: 'contact',
    entityId: survivorId,
    before: toContactView(survivor),
    after: view,
    meta: { sourceId, source: sourceView, moved },
  });
  await addNote(services, {
    entity: 'contact',
    entityId: survivorId,
    kind: 'system',
    text: `Объединён с контактом «${source.name || sourceId}» / Merged with contact "${source.name || sourceId}"`,
    author: user,
    dedupeKey,
    meta: { event: 'contact.merge', sourceId, moved },
  });
  return view;
}
