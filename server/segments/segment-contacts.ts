import type { Connection } from 'mongoose';
import { matchingContacts, type ContactProjection, type Projected } from './matching-contacts.js';
import type { SegmentDefinition } from './segment-definition.js';
import type { SegmentRecord } from './segment-model.js';
import { staticMembers } from './static-members.js';

/** A saved segment, or a definition being built that is not saved yet. */
export type SegmentTarget = Pick<SegmentRecord, '_id' | 'kind' | 'definition'> | SegmentDefinition;

function isDefinition(target: SegmentTarget): target is SegmentDefinition {
  return 'match' in target;
}

/** The active contacts of a segment or a definition, in `_id` order, batch by batch. */
export function segmentContacts<P extends ContactProjection>(
  db: Connection,
  target: SegmentTarget,
  options: { projection: P; batchSize: number; now?: Date },
): AsyncGenerator<Projected<P>[]> {
  if (isDefinition(target)) return matchingContacts(db, target, options);
  switch (target.kind) {
    case 'filter':
      // Never "everyone" by accident: a filter segment is saved with its definition.
      if (!target.definition) throw new Error(`Segment ${String(target._id)} has no definition`);
      return matchingContacts(db, target.definition, options);
    case 'static':
      return staticMembers(db, target._id, options);
  }
}
