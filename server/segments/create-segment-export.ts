import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { recordAudit } from '../audit/record-audit.js';
import type { ExportFile } from '../exports/create-export.js';
import type { ExportFormat, ExportLanguage } from '../exports/export-schema.js';
import { renderCsv } from '../exports/render-csv.js';
import { renderXlsx } from '../exports/render-xlsx.js';
import { toLocalTime } from '../exports/to-local-time.js';
import { userModels } from '../users/user-models.js';
import { segmentExportTable } from './segment-export-table.js';
import type { SegmentRecord } from './segment-model.js';
import { EXPORT_CONTENT_TYPES } from '../exports/export-table.js';

/**
 * A segment's contacts as a file, made and audited as every other export (createExport): the
 * whole file is built, then the audit entry written, and only then is a byte sent.
 */
export async function createSegmentExport(
  services: Pick<ApiServices, 'db'>,
  user: AuthUser,
  segment: SegmentRecord,
  request: { format: ExportFormat; lang: ExportLanguage },
): Promise<ExportFile> {
  const account = await userModels(services.db).User.findById(user.id, { timeZone: 1 }).lean();
  const timeZone = account?.timeZone ?? 'Europe/Moscow';
  const table = await segmentExportTable(services.db, segment, request.lang);
  const body = request.format === 'csv' ? renderCsv(table, request.lang, timeZone) : await renderXlsx(table, timeZone);
  const stamp = toLocalTime(new Date(), timeZone).text.replace(/\D/g, '');
  const fileName = `segment-${segment._id.toHexString()}-${stamp.slice(0, 8)}-${stamp.slice(8)}.${request.format}`;
  await recordAudit(services, {
    actor: user,
    action: 'export.create',
    entity: 'segment',
    entityId: segment._id.toHexString(),
    meta: {
      format: request.format,
      lang: request.lang,
      segment: { id: segment._id.toHexString(), name: segment.name, kind: segment.kind },
      ...(segment.definition ? { filter: segment.definition } : {}),
      rowCount: table.rows.length,
      fileName,
    },
  });
  return { body, contentType: EXPORT_CONTENT_TYPES[request.format], fileName, rowCount: table.rows.length };
}
