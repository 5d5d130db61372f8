import type { ApiServices } from '../api/api-services.js';
import type { ContactActor } from '../contacts/contact-actor.js';
import type { CompanyInput } from '../companies/company-schemas.js';
import { findOrCreateCompany } from '../companies/find-or-create-company.js';
import { findImportedCompany } from './find-imported-company.js';

/**
 * An imported row's company: with an INN, `findOrCreateCompany` (the INN's unique index settles
 * races); without one, the company of the same name if there is one, else a new company.
 */
export async function findOrCreateImportedCompany(
  services: Pick<ApiServices, 'db'>,
  input: CompanyInput,
  actor: ContactActor,
): Promise<{ id: string; created: boolean }> {
  if (!input.inn) {
    const existing = await findImportedCompany(services.db, input);
    if (existing) return { id: existing._id.toHexString(), created: false };
  }
  const { company, created } = await findOrCreateCompany(services, input, actor);
  return { id: company.id, created };
}
