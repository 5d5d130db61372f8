import type { Connection } from 'mongoose';
import { companyModels, type CompanyRecord } from '../companies/company-models.js';
import type { CompanyInput } from '../companies/company-schemas.js';
import { escapeRegex } from '../db/escape-regex.js';

/**
 * The existing company an imported row stands for: by INN when the row has one (INN is what
 * identifies a legal entity), otherwise by the same name, ignoring case. Elsewhere a company
 * without INN is always new; an import must not double the base each time a list is imported
 * again, so here the name decides.
 */
export async function findImportedCompany(
  db: Connection,
  input: Pick<CompanyInput, 'name' | 'inn'>,
): Promise<CompanyRecord | null> {
  const { Company } = companyModels(db);
  const identity = input.inn ? { inn: input.inn } : { name: { $regex: `^${escapeRegex(input.name)}$`, $options: 'i' } };
  return Company.findOne({ status: 'active', ...identity })
    .sort({ _id: 1 })
    .lean<CompanyRecord>();
}
