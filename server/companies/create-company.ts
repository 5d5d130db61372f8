import type { ApiServices } from '../api/api-services.js';
import { recordAudit } from '../audit/record-audit.js';
import type { ContactActor } from '../contacts/contact-actor.js';
import { validateCustomFields } from '../custom-fields/validate-custom-fields.js';
import { companyModels, type CompanyRecord } from './company-models.js';
import type { CompanyInput } from './company-schemas.js';
import { guardInn } from './guard-inn.js';
import { toCompanyView } from './to-company-view.js';
import { initModel } from '../db/init-model.js';

/** Writes a new company; an INN another active company has throws DuplicateCompanyError (409). */
export async function createCompany(
  services: Pick<ApiServices, 'db'>,
  input: CompanyInput,
  actor: ContactActor,
): Promise<CompanyRecord> {
  await validateCustomFields(services.db, 'company', input.customFields ?? {});
  const { Company } = companyModels(services.db);
  await initModel(Company);
  const ownerId = input.ownerId ?? actor?.id;
  const fields = {
    ...input,
    customFields: Object.fromEntries(Object.entries(input.customFields ?? {}).filter(([, value]) => value !== null)),
    ...(ownerId ? { ownerId } : {}),
  };
  const created: CompanyRecord = await guardInn(services, input.inn, undefined, async () =>
    (await Company.create(fields)).toObject(),
  );
  await recordAudit(services, {
    actor,
    action: 'company.create',
    entity: 'company',
    entityId: created._id.toHexString(),
    after: toCompanyView(created),
  });
  return created;
}
