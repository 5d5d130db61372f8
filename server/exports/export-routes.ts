import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { createExport } from './create-export.js';
import { sendExportFile } from './send-export-file.js';
import { exportRequestSchema } from './export-schema.js';

export const exportRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/exports',
    summary:
      'Download contacts, companies or deals as CSV (UTF-8 with BOM) or XLSX, filtered as their list endpoint; ' +
      'headers in Russian unless lang=en; every export is written to the audit log with its filter and row count',
    tag: 'exports',
    access: 'exports.create',
    body: exportRequestSchema,
    async handler({ body, user, services, res }) {
      const file = await createExport(services, user, body);
      return sendExportFile(res, file);
    },
  }),
];
