import type { QueryFilter } from 'mongoose';
import type { AuthUser } from '../api/define-route.js';
import { decodeCursor } from '../api/pagination.js';
import { escapeRegex } from '../db/escape-regex.js';
import type { DealRecord } from './deal-model.js';
import type { DealListQuery } from './deal-schema.js';
import { dealScope } from './deal-scope.js';

/**
 * The deals query of a list request (and of an export, which takes the same filters): the
 * user's scope and the filters must both hold, so an operator asking for someone else's deals
 * gets none, not their own.
 */
export function dealListFilter(query: Omit<DealListQuery, 'limit'>, user: AuthUser): QueryFilter<DealRecord> {
  const after = decodeCursor(query.cursor);
  const filters: QueryFilter<DealRecord> = {
    ...(query.pipelineId ? { pipelineId: query.pipelineId } : {}),
    ...(query.stageId ? { stageId: query.stageId } : {}),
    ...(query.ownerId ? { ownerId: query.ownerId } : {}),
    ...(query.contactId ? { contactId: query.contactId } : {}),
    ...(query.companyId ? { companyId: query.companyId } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.q ? { title: { $regex: escapeRegex(query.q), $options: 'i' } } : {}),
    ...(after ? { _id: { $lt: after } } : {}),
  };
  return { $and: [dealScope(user), filters] };
}
