import type { Connection, Types } from 'mongoose';
import { badRequest } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { can, ROLES } from '../auth/permissions.js';
import type { DeactivateUserBody } from './deactivation-schemas.js';
import { userModels } from './user-models.js';

const { say } = errorTexts;

/** Roles that can work deals, tasks and contacts; a marketer handed deals could not touch them. */
const WORKING_ROLES = ROLES.filter(
  (role) => can(role, 'deals.write') && can(role, 'tasks.write') && can(role, 'contacts.write'),
);

/**
 * The colleagues who take over a leaving user's work, in round-robin order: the listed users in
 * the order given, or the team's active members who can work records, oldest account first.
 * Refuses (400) the leaving user themself, unknown or inactive users, roles that cannot work the
 * records, and a team with nobody left to take over.
 */
export async function resolveReceivers(
  db: Connection,
  leaving: Types.ObjectId,
  to: DeactivateUserBody['to'],
): Promise<string[]> {
  const { User, Team } = userModels(db);
  const leavingId = leaving.toHexString();
  if ('teamId' in to) {
    if (!(await Team.exists({ _id: to.teamId }))) {
      throw badRequest(say('teamMissing'), { teamId: to.teamId });
    }
    const members = await User.find({
      teamIds: to.teamId,
      active: true,
      role: { $in: WORKING_ROLES },
      _id: { $ne: leaving },
    })
      .sort({ _id: 1 })
      .select({ _id: 1 })
      .lean();
    if (members.length === 0) {
      throw badRequest(say('teamNoOneElse'), { teamId: to.teamId });
    }
    return members.map((member) => member._id.toHexString());
  }
  const ids = [...new Set(to.userIds)];
  if (ids.includes(leavingId)) {
    throw badRequest(say('handOverToLeaving'), { userId: leavingId });
  }
  const found = await User.find({ _id: { $in: ids } })
    .select({ _id: 1, active: 1, role: 1 })
    .lean();
  const byId = new Map(found.map((user) => [user._id.toHexString(), user]));
  const refused = ids.filter((id) => {
    const user = byId.get(id);
    return !user?.active || !WORKING_ROLES.includes(user.role);
  });
  if (refused.length > 0) {
    throw badRequest(say('handOverToWorkers'), { userIds: refused });
  }
  return ids;
}
