import type { Connection, Types } from 'mongoose';
import { contactModels, type ContactRecord } from '../contacts/contact-models.js';
import { isRelationCondition } from './relation-condition.js';
import { resolveRelationConditions } from './resolve-relation-conditions.js';
import type { SegmentDefinition } from './segment-definition.js';
import { ACTIVE, segmentFilter } from './segment-filter.js';

/** Contacts read per window when deal or activity conditions are resolved alongside. */
export const RELATION_WINDOW = 1000;

export type ContactProjection = Partial<Record<keyof ContactRecord, 1>>;

export interface MatchOptions<P extends ContactProjection> {
  projection: P;
  batchSize: number;
  now?: Date;
}

export type Projected<P extends ContactProjection> = Pick<ContactRecord, '_id' | Extract<keyof P, keyof ContactRecord>>;

/** Contacts of the query after `after`, in `_id` order, `limit` at most. */
function page(db: Connection, filter: Record<string, unknown>, after: Types.ObjectId | undefined, limit: number) {
  return contactModels(db)
    .Contact.find(after ? { $and: [filter, { _id: { $gt: after } }] } : filter)
    .sort({ _id: 1 })
    .limit(limit);
}

/** For match 'any': the window's contacts that match one of the contact-field conditions. */
async function matchingByFields(
  db: Connection,
  definition: SegmentDefinition,
  window: { _id: Types.ObjectId }[],
  now: Date,
): Promise<Set<string>> {
  if (!definition.conditions.some((condition) => !isRelationCondition(condition))) return new Set();
  const range = { _id: { $gte: window[0]!._id, $lte: window[window.length - 1]!._id } };
  const rows = await contactModels(db)
    .Contact.find({ $and: [ACTIVE, range, segmentFilter(definition, now)] })
    .select({ _id: 1 })
    .lean<{ _id: Types.ObjectId }[]>();
  return new Set(rows.map((row) => String(row._id)));
}

/**
 * The active contacts a filter definition matches, in `_id` order, in batches of `batchSize`.
 * Conditions on the contact compile into one store query paged along `_id`. With deal or
 * activity conditions, the contacts that can match (for 'all': those matching the contact
 * conditions; for 'any': every active one) are read a window at a time, the relation conditions
 * resolved for the window by contact-id range, and the window kept where the definition holds.
 */
export async function* matchingContacts<P extends ContactProjection>(
  db: Connection,
  definition: SegmentDefinition,
  options: MatchOptions<P>,
): AsyncGenerator<Projected<P>[]> {
  const now = options.now ?? new Date();
  const relations = definition.conditions.filter(isRelationCondition);
  const { projection, batchSize } = options;
  if (relations.length === 0) {
    const filter = { $and: [ACTIVE, segmentFilter(definition, now)] };
    for (let after: Types.ObjectId | undefined; ;) {
      const batch = await page(db, filter, after, batchSize).select(projection).lean<Projected<P>[]>();
      if (batch.length > 0) yield batch;
      if (batch.length < batchSize) return;
      after = batch[batch.length - 1]!._id;
    }
  }
  const all = definition.match === 'all';
  const source = { $and: [ACTIVE, all ? segmentFilter(definition, now) : {}] };
  let pending: Projected<P>[] = [];
  for (let after: Types.ObjectId | undefined; ;) {
    const window = await page(db, source, after, RELATION_WINDOW).select(projection).lean<Projected<P>[]>();
    if (window.length === 0) break;
    const ids = window.map((row) => row._id);
    const resolved = await resolveRelationConditions(db, relations, ids, now);
    const byFields = all ? undefined : await matchingByFields(db, definition, window, now);
    const holds = (key: string) =>
      all ? resolved.every((set) => set.has(key)) : byFields!.has(key) || resolved.some((set) => set.has(key));
    pending = pending.concat(window.filter((row) => holds(String(row._id))));
    while (pending.length >= batchSize) yield pending.splice(0, batchSize);
    if (window.length < RELATION_WINDOW) break;
    after = ids[ids.length - 1];
  }
  if (pending.length > 0) yield pending;
}
