import { conflict, notFound } from '../api/api-error.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { importJobModels, type ImportJobRecord } from './import-job-models.js';
import {
  importColumnsRequestSchema,
  importColumnsViewSchema,
  importIdParamsSchema,
  importJobViewSchema,
  importRequestSchema,
  MAX_IMPORT_BODY_BYTES,
} from './import-schemas.js';
import { readImportFile } from './read-import-file.js';
import { rejectedRowsCsv } from './rejected-rows-csv.js';
import { startImport } from './start-import.js';
import { toImportJobView } from './to-import-job-view.js';

const TAG = 'Imports';

/** Imports of old spreadsheets and exhibition lists (imports.create: managers and admins). */
export const importRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/imports/columns',
    summary:
      "A file's header and its first rows, read as POST /imports reads it, so the inbox can offer the mapping " +
      'before anything is imported (an XLSX cannot be read in the browser)',
    tag: TAG,
    access: 'imports.create',
    body: importColumnsRequestSchema,
    maxBodyBytes: MAX_IMPORT_BODY_BYTES,
    response: importColumnsViewSchema,
    async handler({ body }) {
      const table = await readImportFile(body);
      return {
        columns: table.columns,
        rowCount: table.rows.length,
        sample: table.rows.slice(0, 3).map((row) => row.cells),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/imports',
    summary:
      'Import contacts, companies or deals (into a pipeline and stage) from CSV or XLSX (first sheet, base64): ' +
      'mapping, phone/e-mail normalisation, dedupe, dry run. ' +
      'Up to 500 rows answer 201 with the report; longer files answer 202 and run on (poll GET /imports/:id)',
    tag: TAG,
    access: 'imports.create',
    body: importRequestSchema,
    maxBodyBytes: MAX_IMPORT_BODY_BYTES,
    response: importJobViewSchema,
    status: 201,
    async handler({ body, user, services, res }) {
      const { job, background } = await startImport(services, body, user);
      if (!background) return job;
      res.status(202).json(job);
      return undefined;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/imports/:id',
    summary: 'An import: status, progress (processed of total) and its report',
    tag: TAG,
    access: 'imports.create',
    params: importIdParamsSchema,
    response: importJobViewSchema,
    async handler({ params, services }) {
      const job = await importJobModels(services.db).ImportJob.findById(params.id).lean<ImportJobRecord>();
      if (!job) throw notFound('Import');
      return toImportJobView(job);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/imports/:id/rejected.csv',
    summary: 'The rejected rows as CSV (original cells, row number, reason), to fix and import again',
    tag: TAG,
    access: 'imports.create',
    params: importIdParamsSchema,
    async handler({ params, services, res }) {
      const job = await importJobModels(services.db).ImportJob.findById(params.id).lean<ImportJobRecord>();
      if (!job) throw notFound('Import');
      if (toImportJobView(job).status === 'running') {
        throw conflict(errorTexts.say('importRunning'));
      }
      const csv = await rejectedRowsCsv(services.db, job);
      res.type('text/csv; charset=utf-8').attachment(`import-${params.id}-rejected.csv`).send(csv);
      return undefined;
    },
  }),
];
