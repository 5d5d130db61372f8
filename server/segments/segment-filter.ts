import { contactConditionFilter } from './contact-condition-filter.js';
import { isRelationCondition } from './relation-condition.js';
import type { SegmentDefinition } from './segment-definition.js';

/** Active contacts: merged and deleted ones are history, never an audience. */
export const ACTIVE = { status: 'active' } as const;

/**
 * The conditions on the contact's own fields as one contacts query (without the active-status
 * part), joined as the definition says; relation conditions (deals, activity) are left to
 * matchingContacts. No conditions: every contact.
 */
export function segmentFilter(definition: SegmentDefinition, now: Date): Record<string, unknown> {
  const parts = definition.conditions.flatMap((condition) =>
    isRelationCondition(condition) ? [] : [contactConditionFilter(condition, now)],
  );
  if (parts.length === 0) return {};
  return definition.match === 'all' ? { $and: parts } : { $or: parts };
}
