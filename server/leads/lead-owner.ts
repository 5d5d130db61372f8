import type { Connection } from 'mongoose';
import { ApiError } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { can, ROLES } from '../auth/permissions.js';
import { userModels } from '../users/user-models.js';

/** Roles that work deals; a marketer given a lead could not touch it. */
const WORKING_ROLES = ROLES.filter((role) => can(role, 'deals.write'));

/** Whether the user is active and may work the deal a lead becomes. */
export async function mayOwnLeads(db: Connection, userId: string): Promise<boolean> {
  return Boolean(await userModels(db).User.exists({ _id: userId, active: true, role: { $in: WORKING_ROLES } }));
}

/**
 * Who a new inbound lead's deal and contact belong to: the wanted user while they are active and
 * work deals; otherwise the longest-standing active admin, so a lead never lands on someone who
 * has left (deactivation hands over records, not a form's settings).
 */
export async function leadOwner(db: Connection, wanted: string | undefined): Promise<string> {
  if (wanted && (await mayOwnLeads(db, wanted))) return wanted;
  const admin = await userModels(db)
    .User.findOne({ active: true, role: 'admin' })
    .sort({ _id: 1 })
    .select({ _id: 1 })
    .lean();
  if (!admin) throw new ApiError(503, 'unavailable', errorTexts.say('noLeadOwner'));
  return admin._id.toHexString();
}
