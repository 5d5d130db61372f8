import { Types } from 'mongoose';
import type { AuthUser } from '../api/define-route.js';
import { seesEverything } from '../auth/permissions.js';
import type { ContactRecord } from './contact-models.js';

/**
 * The row-level filter on contacts for a user: managers and admins see every contact, everyone
 * else the contacts of their teams and the ones they own. Out-of-scope contacts answer 404, so
 * an operator cannot even learn that an id exists.
 */
export function contactScope(user: AuthUser): Record<string, unknown> {
  if (seesEverything(user.role)) return {};
  const ownerId = new Types.ObjectId(user.id);
  const teamIds = user.teamIds.map((id) => new Types.ObjectId(id));
  return { $or: [{ ownerId }, { teamIds: { $in: teamIds } }] };
}

/** The same rule for a contact already loaded. */
export function contactIsVisible(user: AuthUser, contact: Pick<ContactRecord, 'ownerId' | 'teamIds'>): boolean {
  if (seesEverything(user.role)) return true;
  if (contact.ownerId?.toHexString() === user.id) return true;
  return contact.teamIds.some((id) => user.teamIds.includes(id.toHexString()));
}
