import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { recordAudit } from '../audit/record-audit.js';
import { userModels } from '../users/user-models.js';
import { companiesExportTable } from './companies-export-table.js';
import { contactsExportTable } from './contacts-export-table.js';
import { dealsExportTable } from './deals-export-table.js';
import type { ExportRequest } from './export-schema.js';
import { EXPORT_CONTENT_TYPES, type ExportTable } from './export-table.js';
import { renderCsv } from './render-csv.js';
import { renderXlsx } from './render-xlsx.js';
import { toLocalTime } from './to-local-time.js';

export interface ExportFile {
  body: Buffer;
  contentType: string;
  fileName: string;
  rowCount: number;
}

/** The audit log names records in the singular, as every other entry does ('contact.update'). */
const AUDIT_ENTITY = { contacts: 'contact', companies: 'company', deals: 'deal' } as const;

function tableOf(services: Pick<ApiServices, 'db'>, user: AuthUser, request: ExportRequest): Promise<ExportTable> {
  switch (request.entity) {
    case 'contacts':
      return contactsExportTable(services.db, request.filter ?? {}, user, request.lang);
    case 'companies':
      return companiesExportTable(services.db, request.filter ?? {}, request.lang);
    case 'deals':
      return dealsExportTable(services.db, request.filter ?? {}, user, request.lang);
  }
}

/**
 * Builds an export file (the rows the entity's list endpoint shows for the filter, all pages) and
 * writes it to the audit log with its filter and row count. The whole file is built before the
 * entry is written and before a byte is sent, so no export leaves without its audit entry; the
 * row limit (MAX_EXPORT_ROWS) keeps that in memory.
 */
export async function createExport(
  services: Pick<ApiServices, 'db'>,
  user: AuthUser,
  request: ExportRequest,
): Promise<ExportFile> {
  const account = await userModels(services.db).User.findById(user.id, { timeZone: 1 }).lean();
  const timeZone = account?.timeZone ?? 'Europe/Moscow';
  const table = await tableOf(services, user, request);
  const body = request.format === 'csv' ? renderCsv(table, request.lang, timeZone) : await renderXlsx(table, timeZone);
  const stamp = toLocalTime(new Date(), timeZone).text.replace(/\D/g, '');
  const fileName = `${request.entity}-${stamp.slice(0, 8)}-${stamp.slice(8)}.${request.format}`;
  await recordAudit(services, {
    actor: user,
    action: 'export.create',
    entity: AUDIT_ENTITY[request.entity],
    meta: {
      format: request.format,
      lang: request.lang,
      filter: request.filter ?? {},
      rowCount: table.rows.length,
      fileName,
    },
  });
  return { body, contentType: EXPORT_CONTENT_TYPES[request.format], fileName, rowCount: table.rows.length };
}
