import { Types, type Connection } from 'mongoose';
import { contactModels } from '../contacts/contact-models.js';
import { userModels } from '../users/user-models.js';
import type { CohortScope } from './deal-cohort.js';
import type { ReportFilters } from './report-definition.js';

/**
 * The users whose work a report counts: the operator asked for (forced to the operator
 * themselves for operators), the members of a team, both (the team's member who is that
 * operator), or undefined for everyone.
 */
export async function scopedUserIds(db: Connection, filters: ReportFilters): Promise<Types.ObjectId[] | undefined> {
  const operator = filters.operatorId ? new Types.ObjectId(filters.operatorId) : undefined;
  if (!filters.teamId) return operator ? [operator] : undefined;
  const { User } = userModels(db);
  const members = await User.find({ teamIds: new Types.ObjectId(filters.teamId) }, { _id: 1 }).lean();
  const ids = members.map((member) => member._id);
  return operator ? ids.filter((id) => id.equals(operator)) : ids;
}

/** Users' names by id (one query), for rows that name who did the work. */
export async function userNames(db: Connection, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { User } = userModels(db);
  const users = await User.find(
    { _id: { $in: [...new Set(ids)].map((id) => new Types.ObjectId(id)) } },
    { name: 1 },
  ).lean();
  return new Map(users.map((user) => [String(user._id), user.name]));
}

/** The contacts that came from a source (its label or UTM source): their deals count for it. */
async function sourceContactIds(db: Connection, source: string): Promise<Types.ObjectId[]> {
  const { Contact } = contactModels(db);
  const contacts = await Contact.find({ $or: [{ source }, { 'utm.source': source }] }, { _id: 1 }).lean();
  return contacts.map((contact) => contact._id);
}

/**
 * The deals a report reads: owned by the scoped users, from the source asked for. A deal's source
 * is its own or, mostly, its contact's (label or UTM source), so a source filter also takes the
 * deals of the contacts that came from it (see inScope).
 */
export async function cohortScope(db: Connection, filters: ReportFilters): Promise<CohortScope> {
  const owners = await scopedUserIds(db, filters);
  return {
    ...(owners ? { owners: new Set(owners.map(String)) } : {}),
    ...(filters.source
      ? {
          source: {
            name: filters.source,
            contacts: new Set((await sourceContactIds(db, filters.source)).map(String)),
          },
        }
      : {}),
  };
}
