import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { createExport } from './create-export.js';
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
      // The file goes out as it is, not as JSON: the router sees the response sent and leaves it.
      res
        .status(200)
        .set({
          'content-type': file.contentType,
          'content-disposition': `attachment; filename="${file.fileName}"`,
          'content-length': String(file.body.length),
          'cache-control': 'no-store',
          'x-row-count': String(file.rowCount),
        })
        .end(file.body);
      return undefined;
    },
  }),
];
