import { Types, type Connection } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { recordAudit } from '../audit/record-audit.js';
import { contactModels } from '../contacts/contact-models.js';
import { inChunks } from './in-chunks.js';
import type { StaticList } from './read-static-list.js';
import { segmentMemberModel } from './segment-member-model.js';
import { segmentModel, type SegmentRecord } from './segment-model.js';
import type { SegmentView } from './segment-schemas.js';
import { toSegmentView } from './to-segment-view.js';
import { initModel } from '../db/init-model.js';

export interface StaticSegmentResult {
  segment: SegmentView;
  /** Rows that named an active contact. */
  matched: number;
  /** Valid rows that named nobody in the base. */
  unmatched: number;
  invalidRows: StaticList['invalidRows'];
}

/** Active contacts by E.164 phone and by lower-cased e-mail, read a chunk of keys per query (index lookups). */
async function contactsByKey(db: Connection, list: StaticList): Promise<Map<string, Types.ObjectId>> {
  const { Contact } = contactModels(db);
  const found = new Map<string, Types.ObjectId>();
  const phones = [...new Set(list.rows.flatMap((row) => row.phones))];
  const emails = [...new Set(list.rows.flatMap((row) => row.emails))];
  for (const chunk of inChunks(phones)) {
    const rows = await Contact.find({ status: 'active', 'phones.e164': { $in: chunk } }, { phones: 1 }).lean();
    for (const row of rows) for (const phone of row.phones) found.set(`phone:${phone.e164}`, row._id);
  }
  for (const chunk of inChunks(emails)) {
    const rows = await Contact.find({ status: 'active', emails: { $in: chunk } }, { emails: 1 }).lean();
    for (const row of rows) for (const email of row.emails) found.set(`email:${email}`, row._id);
  }
  return found;
}

/**
 * Saves a static segment from a read CSV: each row joins the contact its phone or e-mail belongs
 * to (the first key that names one), each contact once. The segment is written before its
 * members and counted after them, so a failure midway leaves a list that says how many it holds.
 */
export async function createStaticSegment(
  services: Pick<ApiServices, 'db'>,
  user: AuthUser,
  name: string,
  list: StaticList,
): Promise<StaticSegmentResult> {
  const { db } = services;
  const byKey = await contactsByKey(db, list);
  const members = new Set<string>();
  let matched = 0;
  for (const row of list.rows) {
    const keys = [...row.phones.map((phone) => `phone:${phone}`), ...row.emails.map((email) => `email:${email}`)];
    const contactId = keys.map((key) => byKey.get(key)).find((id) => id !== undefined);
    if (!contactId) continue;
    matched++;
    members.add(contactId.toHexString());
  }
  const Segment = segmentModel(db);
  const created = await Segment.create({
    name,
    kind: 'static',
    memberCount: 0,
    createdById: new Types.ObjectId(user.id),
  });
  const segmentId = created._id;
  const Member = segmentMemberModel(db);
  await initModel(Member);
  for (const chunk of inChunks([...members], 1000)) {
    await Member.insertMany(chunk.map((contactId) => ({ segmentId, contactId: new Types.ObjectId(contactId) })));
  }
  const saved = await Segment.findByIdAndUpdate(
    segmentId,
    { $set: { memberCount: members.size } },
    { returnDocument: 'after' },
  ).lean<SegmentRecord>();
  const segment = toSegmentView(saved ?? { ...created.toObject(), memberCount: members.size });
  await recordAudit(services, {
    actor: user,
    action: 'segment.create',
    entity: 'segment',
    entityId: segment.id,
    after: segment,
    meta: { rows: list.rows.length + list.invalidRows.length, matched, invalidRows: list.invalidRows.length },
  });
  return { segment, matched, unmatched: list.rows.length - matched, invalidRows: list.invalidRows };
}
