import type { QueryFilter } from 'mongoose';
import type { AuthUser } from '../api/define-route.js';
import { seesEverything } from '../auth/permissions.js';
import type { DealRecord } from './deal-model.js';

/**
 * The deals a user may see and touch: managers and admins all of them, everyone else their own.
 * Added to every list, read and write filter, so another operator's deal answers 404 (not 403:
 * its existence is not disclosed).
 */
export function dealScope(user: AuthUser): QueryFilter<DealRecord> {
  return seesEverything(user.role) ? {} : { ownerId: user.id };
}
