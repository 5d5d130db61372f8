import type { CompanyRecord } from './company-models.js';
import type { CompanyView } from './company-schemas.js';

export function toCompanyView(company: CompanyRecord): CompanyView {
  return {
    id: company._id.toHexString(),
    name: company.name,
    ...(company.inn ? { inn: company.inn } : {}),
    ...(company.address ? { address: company.address } : {}),
    counterpartyType: company.counterpartyType,
    ...(company.website ? { website: company.website } : {}),
    phones: company.phones.map(({ raw, e164 }) => ({ raw, e164 })),
    emails: [...company.emails],
    ...(company.ownerId ? { ownerId: company.ownerId.toHexString() } : {}),
    tags: [...company.tags],
    customFields: company.customFields ?? {},
    createdAt: company.createdAt.toISOString(),
    updatedAt: company.updatedAt.toISOString(),
  };
}
