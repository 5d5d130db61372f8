import type { Connection, Types } from 'mongoose';
import { userModels } from './user-models.js';

/** Whether taking this user's admin rights or access away would leave nobody to administer the workspace. */
export async function isLastActiveAdmin(
  db: Connection,
  user: { _id: Types.ObjectId; role: string; active: boolean },
): Promise<boolean> {
  if (user.role !== 'admin' || !user.active) return false;
  return !(await userModels(db).User.exists({ _id: { $ne: user._id }, role: 'admin', active: true }));
}
