import { z } from 'zod';
import { notFound } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { pageOf } from '../api/pagination.js';
import { recordAudit } from '../audit/record-audit.js';
import { contactModels, type ContactRecord } from '../contacts/contact-models.js';
import { contactScope } from '../contacts/contact-scope.js';
import { validateCustomFields } from '../custom-fields/validate-custom-fields.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { companyListFilter } from './company-list-filter.js';
import { companyModels, type CompanyRecord } from './company-models.js';
import { createCompany } from './create-company.js';
import { guardInn } from './guard-inn.js';
import {
  companyDetailSchema,
  companyInputSchema,
  companyListQuerySchema,
  companyPatchSchema,
  companyViewSchema,
} from './company-schemas.js';
import { toCompanyView } from './to-company-view.js';

const idParams = z.strictObject({ id: objectIdSchema });
const TAG = 'companies';

async function findActive(services: Pick<ApiServices, 'db'>, id: string): Promise<CompanyRecord> {
  const company = await companyModels(services.db).Company.findOne({ _id: id, status: 'active' }).lean<CompanyRecord>();
  if (!company) throw notFound('Company');
  return company;
}

export const companyRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/companies',
    summary: 'List companies, newest first; q searches the name and the INN',
    tag: TAG,
    access: 'companies.read',
    query: companyListQuerySchema,
    response: z.object({ items: z.array(companyViewSchema), nextCursor: z.string().optional() }),
    async handler({ query, services }) {
      const rows = await companyModels(services.db)
        .Company.find(companyListFilter(query))
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean<CompanyRecord[]>();
      return pageOf(rows.map(toCompanyView), query.limit);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/companies',
    summary: 'Add a company (409 naming the existing one when the INN is taken)',
    tag: TAG,
    access: 'companies.write',
    body: companyInputSchema,
    response: companyViewSchema,
    status: 201,
    async handler({ body, user, services }) {
      return toCompanyView(await createCompany(services, body, user));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/companies/:id',
    summary: 'A company with the contacts of it the user may see',
    tag: TAG,
    access: 'companies.read',
    params: idParams,
    response: companyDetailSchema,
    async handler({ params, user, services }) {
      const company = await findActive(services, params.id);
      const contacts = await contactModels(services.db)
        .Contact.find({ companyId: company._id, status: 'active', ...contactScope(user) })
        .select({ name: 1 })
        .sort({ _id: -1 })
        .limit(200)
        .lean<Pick<ContactRecord, '_id' | 'name'>[]>();
      return {
        ...toCompanyView(company),
        contacts: contacts.map((contact) => ({ id: contact._id.toHexString(), name: contact.name })),
      };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/companies/:id',
    summary: 'Change a company; null clears a field',
    tag: TAG,
    access: 'companies.write',
    params: idParams,
    body: companyPatchSchema,
    response: companyViewSchema,
    async handler({ params, body, user, services }) {
      const before = await findActive(services, params.id);
      const { customFields, ...fields } = body;
      await validateCustomFields(services.db, 'company', customFields ?? {});
      const $set: Record<string, unknown> = {};
      const $unset: Record<string, ''> = {};
      for (const [key, value] of Object.entries(fields)) {
        if (value === null) $unset[key] = '';
        else if (value !== undefined) $set[key] = value;
      }
      for (const [key, value] of Object.entries(customFields ?? {})) {
        if (value === null) $unset[`customFields.${key}`] = '';
        else $set[`customFields.${key}`] = value;
      }
      const after = await guardInn(services, body.inn, params.id, () =>
        companyModels(services.db)
          .Company.findOneAndUpdate({ _id: params.id, status: 'active' }, { $set, $unset }, { returnDocument: 'after' })
          .lean<CompanyRecord>(),
      );
      if (!after) throw notFound('Company');
      const view = toCompanyView(after);
      await recordAudit(services, {
        actor: user,
        action: 'company.update',
        entity: 'company',
        entityId: params.id,
        before: toCompanyView(before),
        after: view,
      });
      return view;
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/companies/:id',
    summary: 'Delete a company (kept for history; its contacts stay)',
    tag: TAG,
    access: 'companies.write',
    params: idParams,
    async handler({ params, user, services }) {
      const before = await companyModels(services.db)
        .Company.findOneAndUpdate(
          { _id: params.id, status: 'active' },
          { $set: { status: 'deleted', deletedAt: new Date() } },
        )
        .lean<CompanyRecord>();
      if (!before) throw notFound('Company');
      await recordAudit(services, {
        actor: user,
        action: 'company.delete',
        entity: 'company',
        entityId: params.id,
        before: toCompanyView(before),
      });
      return undefined;
    },
  }),
];
