import type { ApiServices } from '../api/api-services.js';
import type { ContactActor } from '../contacts/contact-actor.js';
import type { CompanyInput, CompanyView } from './company-schemas.js';
import { createCompany } from './create-company.js';
import { DuplicateCompanyError } from './duplicate-company-error.js';
import { toCompanyView } from './to-company-view.js';

/**
 * The active company with the input's INN, or a new one. Only the INN identifies a legal entity:
 * two companies may share a name ("ООО Ромашка" exists in every city), so without an INN a new
 * company is created (lead conversion records it on the lead, which makes retries safe).
 */
export async function findOrCreateCompany(
  services: Pick<ApiServices, 'db'>,
  input: CompanyInput,
  actor: ContactActor,
): Promise<{ company: CompanyView; created: boolean }> {
  try {
    return { company: toCompanyView(await createCompany(services, input, actor)), created: true };
  } catch (error) {
    if (!(error instanceof DuplicateCompanyError)) throw error;
    return { company: toCompanyView(error.existing), created: false };
  }
}
