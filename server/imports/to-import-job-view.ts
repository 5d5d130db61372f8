import type { ImportJobRecord } from './import-job-models.js';
import type { ImportJobView } from './import-schemas.js';

// A running import moves its record at least every chunk (seconds); one silent for this long
// died with its process, e.g. in a restart.
const STALE_AFTER_MS = 5 * 60 * 1000;
const INTERRUPTED =
  'The import stopped when the server restarted; run it again: rows already imported will be matched, not duplicated / ' +
  'Импорт прервался при перезапуске сервера; запустите его снова: уже загруженные строки не задвоятся';

/** An import as the API shows it: its progress, and the report so far (final once done). */
export function toImportJobView(job: ImportJobRecord, now = new Date()): ImportJobView {
  const interrupted = job.status === 'running' && now.getTime() - job.updatedAt.getTime() > STALE_AFTER_MS;
  const error = interrupted ? INTERRUPTED : job.error;
  return {
    id: job._id.toHexString(),
    entity: job.entity,
    dryRun: job.dryRun,
    status: interrupted ? 'failed' : job.status,
    processed: job.processed,
    total: job.total,
    report: {
      total: job.total,
      created: job.created,
      matched: job.matched,
      rejected: job.rejectedSample.map(({ row, reason }) => ({ row, reason })),
      rejectedCount: job.rejectedCount,
    },
    ...(error ? { error } : {}),
    createdBy: { id: job.createdById.toHexString(), name: job.createdByName },
    createdAt: job.createdAt.toISOString(),
    ...(job.finishedAt ? { finishedAt: job.finishedAt.toISOString() } : {}),
  };
}
