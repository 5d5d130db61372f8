import type { Connection } from 'mongoose';
import type { ContactRecord } from '../contacts/contact-models.js';
import { segmentContacts } from './segment-contacts.js';
import type { SegmentRecord } from './segment-model.js';

export { countSegment } from './count-segment.js';
export { previewSegment, type SegmentPreview } from './preview-segment.js';
export type { SegmentTarget } from './segment-contacts.js';

/**
 * What freezing a broadcast needs of each recipient: how to reach them and whether they may be
 * written to. What fills its message in is read when it is sent, fresh.
 */
export type AudienceContact = Pick<ContactRecord, '_id' | 'phones' | 'emails' | 'identities' | 'consent'>;

// Read for 100,000 recipients at a launch: each field more is decoded and sent that many times.
const AUDIENCE_PROJECTION = { _id: 1, phones: 1, emails: 1, identities: 1, consent: 1 } as const;

/**
 * Everyone a segment reaches now: active contacts in `_id` order, each once, `batchSize` at a
 * time (the last batch may be shorter), so a caller freezes an audience of any size without
 * holding it in memory. Company-wide: a broadcast goes to the whole base, whoever owns a contact.
 */
export async function* segmentAudience(
  db: Connection,
  segment: SegmentRecord,
  batchSize = 1000,
): AsyncGenerator<AudienceContact[]> {
  yield* segmentContacts(db, segment, { projection: AUDIENCE_PROJECTION, batchSize });
}
