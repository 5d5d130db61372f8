import { companyInputSchema } from '../companies/company-schemas.js';
import { findImportedCompany } from './find-imported-company.js';
import { findOrCreateImportedCompany } from './find-or-create-imported-company.js';
import type { FieldValues, ImportContext, RowOutcome } from './import-context.js';
import type { CompanyImportField } from './import-schemas.js';
import { rejectionReason } from './rejection-reason.js';
import { joinCells } from './join-cells.js';
import { splitCells } from './split-cells.js';

const NO_NAME = 'No company name / Нет названия компании';

/**
 * Imports one company row: validated by the companies' own schema (INN check digits, phones,
 * e-mails), then matched by INN, or by name when the row has no INN, or created.
 */
export async function importCompanyRow(
  context: ImportContext,
  values: FieldValues<CompanyImportField>,
): Promise<RowOutcome> {
  const name = joinCells(values.name, ' ');
  if (!name) return { type: 'rejected', reason: NO_NAME };
  const raw = {
    name,
    ...(values.inn ? { inn: joinCells(values.inn, '') } : {}),
    ...(values.address ? { address: joinCells(values.address, ', ') } : {}),
    ...(values.website ? { website: joinCells(values.website, ' ') } : {}),
    phones: splitCells(values.phone, /[,;\n]/),
    emails: splitCells(values.email, /[,;\s]+/),
    tags: splitCells(values.tags, /[,;]/),
  };
  const parsed = companyInputSchema.safeParse(raw);
  if (!parsed.success) return { type: 'rejected', reason: rejectionReason(parsed.error.issues, raw) };

  const input = parsed.data;
  if (context.dryRun) {
    const key = input.inn ? `inn:${input.inn}` : `name:${input.name.toLowerCase()}`;
    const earlierRow = context.seen.has(key);
    context.seen.add(key);
    return earlierRow || (await findImportedCompany(context.services.db, input))
      ? { type: 'matched' }
      : { type: 'created' };
  }
  const { created } = await findOrCreateImportedCompany(context.services, input, context.actor);
  return { type: created ? 'created' : 'matched' };
}
