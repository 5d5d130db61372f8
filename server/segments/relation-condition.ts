import type { SegmentCondition } from './segment-definition.js';

/**
 * A condition on records of other collections (deals, conversations) rather than on the contact
 * itself: it cannot be part of one contacts query, so it is resolved for a window of contact ids
 * at a time (resolveRelationConditions) and enters the query as the ids that satisfy it.
 */
export type RelationCondition =
  Extract<SegmentCondition, { field: 'deal' }> | Extract<SegmentCondition, { field: 'lastActivityAt' }>;

export function isRelationCondition(condition: SegmentCondition): condition is RelationCondition {
  return condition.field === 'deal' || condition.field === 'lastActivityAt';
}
