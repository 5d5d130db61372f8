import type { Connection } from 'mongoose';
import { contactModels } from '../contacts/contact-models.js';
import { isRelationCondition } from './relation-condition.js';
import { segmentContacts, type SegmentTarget } from './segment-contacts.js';
import { ACTIVE, segmentFilter } from './segment-filter.js';

const COUNT_BATCH = 5000;

/**
 * How many active contacts a segment (or a definition being built) reaches now. A definition on
 * the contacts alone is one count query; deals, activity and static lists are counted window by
 * window, reading ids only.
 */
export async function countSegment(db: Connection, target: SegmentTarget, now = new Date()): Promise<number> {
  const definition = 'match' in target ? target : target.kind === 'filter' ? target.definition : undefined;
  if (definition && !definition.conditions.some(isRelationCondition)) {
    return contactModels(db).Contact.countDocuments({ $and: [ACTIVE, segmentFilter(definition, now)] });
  }
  let count = 0;
  for await (const batch of segmentContacts(db, target, { projection: { _id: 1 }, batchSize: COUNT_BATCH, now })) {
    count += batch.length;
  }
  return count;
}
