import type { ApiServices } from '../api/api-services.js';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import { companyModels, type CompanyRecord } from './company-models.js';
import { DuplicateCompanyError } from './duplicate-company-error.js';

async function holderOf(services: Pick<ApiServices, 'db'>, inn: string, exceptId?: string) {
  return companyModels(services.db)
    .Company.findOne({ status: 'active', inn, ...(exceptId ? { _id: { $ne: exceptId } } : {}) })
    .lean<CompanyRecord>();
}

/**
 * Runs a company write that sets `inn`, refusing with DuplicateCompanyError when another active
 * company has it: checked first for a clear answer, and again when the unique index refuses the
 * write because a concurrent request took the INN in between.
 */
export async function guardInn<T>(
  services: Pick<ApiServices, 'db'>,
  inn: string | null | undefined,
  exceptId: string | undefined,
  write: () => Promise<T>,
): Promise<T> {
  const before = inn ? await holderOf(services, inn, exceptId) : null;
  if (before) throw new DuplicateCompanyError(before);
  try {
    return await write();
  } catch (error) {
    const winner = inn && isDuplicateKeyError(error) ? await holderOf(services, inn, exceptId) : null;
    throw winner ? new DuplicateCompanyError(winner) : error;
  }
}
