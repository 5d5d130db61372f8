import { Types, type QueryFilter } from 'mongoose';
import { decodeCursor } from '../api/pagination.js';
import { escapeRegex } from '../db/escape-regex.js';
import type { CompanyRecord } from './company-models.js';
import type { CompanyListQuery } from './company-schemas.js';

/**
 * The companies query of a list request (and of an export, which takes the same filters):
 * active ones, by counterparty type, tag and owner; `q` searches the name and the start of the INN.
 */
export function companyListFilter(query: Omit<CompanyListQuery, 'limit'>): QueryFilter<CompanyRecord> {
  const cursor = decodeCursor(query.cursor);
  const digits = query.q && /^\d{3,12}$/.test(query.q) ? query.q : undefined;
  return {
    status: 'active' as const,
    ...(cursor ? { _id: { $lt: new Types.ObjectId(cursor) } } : {}),
    ...(query.counterpartyType ? { counterpartyType: query.counterpartyType } : {}),
    ...(query.tag ? { tags: query.tag } : {}),
    ...(query.ownerId ? { ownerId: new Types.ObjectId(query.ownerId) } : {}),
    ...(query.q
      ? {
          $or: [
            { name: { $regex: escapeRegex(query.q), $options: 'i' } },
            ...(digits ? [{ inn: { $regex: `^${digits}` } }] : []),
          ],
        }
      : {}),
  };
}
