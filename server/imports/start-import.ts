import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { importJobModels, type ImportJobRecord } from './import-job-models.js';
import type { ImportJobView, ImportRequest } from './import-schemas.js';
import { readImportFile } from './read-import-file.js';
import { rowImporter } from './row-importer.js';
import { runImport } from './run-import.js';
import { toImportJobView } from './to-import-job-view.js';

/** Files up to this many rows are imported within the request; longer ones run in the background. */
export const INLINE_IMPORT_ROWS = 500;

/**
 * Starts an import: reads the file and resolves the mapping (400 before anything is written),
 * records the import, then runs it. A short file is done when this returns; a long one keeps
 * running in this process after the response (progress at GET /imports/:id), chunk by chunk with
 * setImmediate in between. Not a BullMQ job: the queue would have to carry a 5 MB file through
 * Redis to whichever worker picks it up, and an interrupted import is simply run again (rows
 * already imported are matched).
 */
export async function startImport(
  services: Pick<ApiServices, 'db' | 'logger'>,
  request: ImportRequest,
  actor: AuthUser,
): Promise<{ job: ImportJobView; background: boolean }> {
  const table = await readImportFile(request);
  const importRow = await rowImporter(
    { services, actor, dryRun: request.dryRun, seen: new Set() },
    request,
    table.columns,
  );
  const { ImportJob } = importJobModels(services.db);
  const job = (
    await ImportJob.create({
      entity: request.entity,
      dryRun: request.dryRun,
      status: 'running',
      total: table.rows.length,
      columns: table.columns,
      delimiter: table.delimiter,
      createdById: actor.id,
      createdByName: actor.name,
    })
  ).toObject<ImportJobRecord>();
  const run = runImport(services, { job, rows: table.rows, importRow, actor });
  if (table.rows.length > INLINE_IMPORT_ROWS) {
    run.catch((error: unknown) => services.logger.error({ err: error, importId: String(job._id) }, 'import failed'));
    return { job: toImportJobView(job), background: true };
  }
  await run;
  const finished = await ImportJob.findById(job._id).lean<ImportJobRecord>();
  return { job: toImportJobView(finished ?? job), background: false };
}
