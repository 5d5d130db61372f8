import { Types, type Connection } from 'mongoose';
import { dealModel } from '../deals/deal-model.js';
import { conversationModel } from '../messaging/conversation-model.js';
import { dateBound, daysAgo } from './date-bound.js';
import type { RelationCondition } from './relation-condition.js';
import { initModel } from '../db/init-model.js';

type DealCondition = Extract<RelationCondition, { field: 'deal' }>;
type ActivityCondition = Extract<RelationCondition, { field: 'lastActivityAt' }>;

/**
 * The window's contacts as an index range: records of other collections are read by
 * `contactId` between its first and last id (an index range scan, no long `$in` list) and the
 * few that belong to contacts between the window's ids, but not in it, are dropped by the caller.
 */
function contactRange(ids: Types.ObjectId[]) {
  return { contactId: { $gte: ids[0]!, $lte: ids[ids.length - 1]! } };
}

/** The contacts of the window that have a deal as the condition describes. */
async function withDeal(db: Connection, condition: DealCondition, ids: Types.ObjectId[]): Promise<Set<string>> {
  const Deal = await dealModel(db);
  const deals = await Deal.find({
    ...contactRange(ids),
    ...(condition.pipelineId ? { pipelineId: new Types.ObjectId(condition.pipelineId) } : {}),
    ...(condition.stageId ? { stageId: condition.stageId } : {}),
    ...(condition.status ? { status: condition.status } : {}),
  })
    // By contact, always: a stage may hold far more deals than the window has contacts.
    .hint({ contactId: 1 })
    .select({ contactId: 1 })
    .lean<{ contactId: Types.ObjectId }[]>();
  return new Set(deals.map((deal) => String(deal.contactId)));
}

/**
 * The contacts' last activity: their latest conversation message, in or out. Conversations keep
 * `lastMessageAt` indexed by contact, and it moves only when someone writes, unlike a contact's or
 * deal's `updatedAt`, which imports, merges and tag edits bump as well.
 */
async function lastActivity(db: Connection, ids: Types.ObjectId[]): Promise<Map<string, number>> {
  const Conversation = conversationModel(db);
  // The hint names an index, which must exist even before the first conversation is written.
  await initModel(Conversation);
  const conversations = await Conversation.find(contactRange(ids))
    .hint({ contactId: 1, lastMessageAt: -1 })
    .select({ contactId: 1, lastMessageAt: 1 })
    .lean<{ contactId: Types.ObjectId; lastMessageAt: Date }[]>();
  const latest = new Map<string, number>();
  for (const { contactId, lastMessageAt } of conversations) {
    const key = String(contactId);
    latest.set(key, Math.max(latest.get(key) ?? 0, lastMessageAt.getTime()));
  }
  return latest;
}

/** Whether a last activity (undefined: none yet) satisfies the condition. */
function activityMatches(condition: ActivityCondition, last: number | undefined, now: Date): boolean {
  switch (condition.op) {
    case 'within-days':
      return last !== undefined && last >= daysAgo(now, condition.value).getTime();
    case 'not-within-days':
      return last === undefined || last < daysAgo(now, condition.value).getTime();
    case 'before':
      return last !== undefined && last < dateBound(condition.value, 'before').getTime();
    case 'after':
      return last !== undefined && last >= dateBound(condition.value, 'after').getTime();
  }
}

async function satisfying(
  db: Connection,
  condition: RelationCondition,
  ids: Types.ObjectId[],
  now: Date,
  activity: () => Promise<Map<string, number>>,
): Promise<Set<string>> {
  const keys = ids.map(String);
  switch (condition.field) {
    case 'deal': {
      const found = await withDeal(db, condition, ids);
      return new Set(keys.filter((key) => found.has(key) === (condition.op === 'has')));
    }
    case 'lastActivityAt': {
      const latest = await activity();
      return new Set(keys.filter((key) => activityMatches(condition, latest.get(key), now)));
    }
  }
}

/**
 * For a window of contact ids in ascending order, the ids (as hex strings) that satisfy each
 * relation condition. Memory stays bounded by the window however large the base; conversations
 * are read once per window whatever the number of activity conditions.
 */
export async function resolveRelationConditions(
  db: Connection,
  conditions: RelationCondition[],
  ids: Types.ObjectId[],
  now: Date,
): Promise<Set<string>[]> {
  let activity: Promise<Map<string, number>> | undefined;
  const loadActivity = () => (activity ??= lastActivity(db, ids));
  const resolved: Set<string>[] = [];
  for (const condition of conditions) resolved.push(await satisfying(db, condition, ids, now, loadActivity));
  return resolved;
}
