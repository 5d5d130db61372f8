import { forbidden } from '../api/api-error.js';
import type { AuthUser } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { can } from '../auth/permissions.js';

/**
 * Giving a deal to someone other than its current owner (on creation: other than oneself) needs
 * 'deals.reassign': operators work their own deals, managers distribute them.
 */
export function assertMayAssign(user: AuthUser, ownerId: string, currentOwnerId: string = user.id): void {
  if (ownerId === currentOwnerId || can(user.role, 'deals.reassign')) return;
  throw forbidden(errorTexts.say('dealReassign'));
}
