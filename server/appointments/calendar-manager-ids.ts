import { isValidObjectId, type Connection } from 'mongoose';
import type { Snapshot } from '../../flows/index.js';
import type { Assignee } from '../../flows/schema/assignee-schema.js';
import { activeUsers, teamMembers } from '../flows/resolve-assignee.js';

/**
 * The users whose calendars a book step searches: everyone active with the role, every member of
 * the team (found as resolveAssignee finds it), the owner, or one user. Undefined (every manager)
 * when the choice names nobody, so a client is never told there is no time only because a team is
 * still empty.
 */
export async function calendarManagerIds(
  db: Connection,
  calendar: Assignee,
  context: Snapshot,
): Promise<string[] | undefined> {
  const ids = async (filter: Record<string, unknown>) => (await activeUsers(db, filter)).map((user) => user.id);
  let found: string[] = [];
  switch (calendar.type) {
    case 'role':
      found = await ids({ role: calendar.role });
      break;
    case 'team':
      found = (await teamMembers(db, calendar.team))?.members.map((member) => member.id) ?? [];
      break;
    case 'user':
      found = calendar.user.includes('@')
        ? await ids({ email: calendar.user.toLowerCase() })
        : isValidObjectId(calendar.user)
          ? await ids({ _id: calendar.user })
          : [];
      break;
    case 'owner':
    case 'field': {
      const owner = context.deal?.ownerId ?? context.contact?.ownerId;
      found = owner && isValidObjectId(owner) ? await ids({ _id: owner }) : [];
      break;
    }
  }
  return found.length > 0 ? found : undefined;
}
