import { Types, type Connection } from 'mongoose';
import type { AuthUser } from '../api/define-route.js';
import { decodeCursor } from '../api/pagination.js';
import { companyModels, type CompanyRecord } from '../companies/company-models.js';
import type { ContactListQuery } from './contact-schemas.js';
import { contactScope } from './contact-scope.js';
import { escapeRegex } from '../db/escape-regex.js';
import { normalizePhone } from './normalize-phone.js';

/** Text made only of what people type in phone numbers, with enough digits to be one (or a part). */
const PHONE_LIKE = /^\+?[\d\s().-]+$/;

/**
 * What `q` matches as a phone: a whole number in any spelling ('8 912 345-67-89') becomes its
 * E.164 form; a fragment ('345-67') matches stored numbers containing those digits.
 */
function phoneCondition(q: string): Record<string, unknown> | undefined {
  if (!PHONE_LIKE.test(q)) return undefined;
  const digits = q.replace(/\D/g, '');
  if (digits.length < 3) return undefined;
  const e164 = normalizePhone(q);
  return { 'phones.e164': e164 ?? { $regex: digits } };
}

async function searchConditions(db: Connection, q: string): Promise<Record<string, unknown>[]> {
  const phone = phoneCondition(q);
  const text = { $regex: escapeRegex(q), $options: 'i' };
  const companies = await companyModels(db)
    .Company.find({ status: 'active', name: text })
    .select({ _id: 1 })
    .limit(500)
    .lean<Pick<CompanyRecord, '_id'>[]>();
  return [
    { name: text },
    { emails: { $regex: escapeRegex(q.toLowerCase()) } },
    { 'identities.externalId': q },
    ...(phone ? [phone] : []),
    ...(companies.length ? [{ companyId: { $in: companies.map((company) => company._id) } }] : []),
  ];
}

/** The contacts query of a list request: active, in the user's scope, filtered, searched, after the cursor. */
export async function contactListFilter(
  db: Connection,
  query: ContactListQuery,
  user: AuthUser,
): Promise<Record<string, unknown>> {
  const cursor = decodeCursor(query.cursor);
  const conditions: Record<string, unknown>[] = [{ status: 'active' }, contactScope(user)];
  if (cursor) conditions.push({ _id: { $lt: new Types.ObjectId(cursor) } });
  if (query.tag) conditions.push({ tags: query.tag });
  if (query.ownerId) conditions.push({ ownerId: new Types.ObjectId(query.ownerId) });
  if (query.companyId) conditions.push({ companyId: new Types.ObjectId(query.companyId) });
  if (query.teamId) conditions.push({ teamIds: new Types.ObjectId(query.teamId) });
  if (query.source) conditions.push({ source: query.source });
  if (query.q) conditions.push({ $or: await searchConditions(db, query.q) });
  return { $and: conditions.filter((condition) => Object.keys(condition).length > 0) };
}
