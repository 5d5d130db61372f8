import { Types, type Connection } from 'mongoose';
import { can, ROLES } from '../auth/permissions.js';
import { taskModel } from '../tasks/task-model.js';
import { userModels } from '../users/user-models.js';

/** Roles that work tasks and contacts: a call-back goes to someone who can make it. */
const CALLING_ROLES = ROLES.filter((role) => can(role, 'tasks.write') && can(role, 'contacts.write'));

/**
 * Who calls back a missed call, first match wins:
 * 1. the contact's owner;
 * 2. the operator whose extension the call rang (the account's `operators` mapping);
 * 3. of the channel account's teams, the member with the fewest open call tasks (the longest-standing
 *    account on a tie);
 * 4. the longest-standing admin or manager.
 * Only active users who can work tasks count. Undefined when there is nobody at all.
 */
export async function pickCallbackAssignee(
  db: Connection,
  candidates: { ownerId?: string; operatorId?: string; teamIds: string[] },
): Promise<Types.ObjectId | undefined> {
  const { User } = userModels(db);
  const working = { active: true, role: { $in: CALLING_ROLES } };
  for (const id of [candidates.ownerId, candidates.operatorId]) {
    if (!id || !Types.ObjectId.isValid(id)) continue;
    const user = await User.findOne({ _id: id, ...working }, { _id: 1 }).lean();
    if (user) return user._id;
  }
  if (candidates.teamIds.length > 0) {
    const members = await User.find(
      { teamIds: { $in: candidates.teamIds.map((id) => new Types.ObjectId(id)) }, ...working },
      { _id: 1 },
    )
      .sort({ _id: 1 })
      .lean();
    if (members.length > 0) {
      const Task = await taskModel(db);
      const loads = await Promise.all(
        members.map((member) => Task.countDocuments({ assigneeId: member._id, kind: 'call', done: false })),
      );
      const least = Math.min(...loads);
      return members[loads.indexOf(least)]?._id;
    }
  }
  const lead = await User.findOne({ active: true, role: { $in: ['admin', 'manager'] } }, { _id: 1 })
    .sort({ _id: 1 })
    .lean();
  return lead?._id;
}
