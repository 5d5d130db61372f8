import type { QueryFilter } from 'mongoose';
import type { AuthUser } from '../api/define-route.js';
import { seesEverything } from '../auth/permissions.js';
import type { TaskRecord } from './task-model.js';

/**
 * The tasks a user may see and change: managers and admins all; others the tasks given to them
 * and those they gave to someone (to follow up on them).
 */
export function taskScope(user: AuthUser): QueryFilter<TaskRecord> {
  if (seesEverything(user.role)) return {};
  return { $or: [{ assigneeId: user.id }, { 'createdBy.kind': 'user', 'createdBy.id': user.id }] };
}
