import { Types } from 'mongoose';
import { forbidden } from '../api/api-error.js';
import type { AuthUser } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { can, seesEverything } from '../auth/permissions.js';
import type { CannedResponseRecord } from './canned-response-model.js';

/**
 * The canned responses a user may use: their own personal ones, their teams' (every team's for
 * managers and admins), and everyone's.
 */
export function cannedResponseScope(user: AuthUser): Record<string, unknown> {
  const teams = seesEverything(user.role)
    ? { visibility: 'team' }
    : { visibility: 'team', teamId: { $in: user.teamIds.map((id) => new Types.ObjectId(id)) } };
  return {
    $or: [{ visibility: 'personal', ownerId: new Types.ObjectId(user.id) }, teams, { visibility: 'everyone' }],
  };
}

/** Personal responses are their owner's to change; shared ones need canned.manage. */
export function assertMayEditCanned(
  user: AuthUser,
  canned: Pick<CannedResponseRecord, 'visibility' | 'ownerId'>,
): void {
  if (canned.visibility === 'personal' && canned.ownerId.toHexString() === user.id) return;
  if (canned.visibility !== 'personal' && can(user.role, 'canned.manage')) return;
  throw forbidden(errorTexts.say('cannedChangeShared'));
}
