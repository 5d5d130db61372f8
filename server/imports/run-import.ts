import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { recordAudit } from '../audit/record-audit.js';
import type { RowOutcome } from './import-context.js';
import { importJobModels, type ImportJobRecord } from './import-job-models.js';
import type { ImportTable } from './read-import-csv.js';
import { toImportJobView } from './to-import-job-view.js';

/** Rows between progress updates: frequent enough for a progress bar, rare enough to cost little. */
const CHUNK_ROWS = 100;
/** Rejections kept on the job for the JSON report; all of them go to rejected.csv. */
const REJECTED_SAMPLE = 100;

export interface ImportRun {
  job: ImportJobRecord;
  rows: ImportTable['rows'];
  importRow: (cells: string[]) => Promise<RowOutcome>;
  actor: AuthUser;
}

/**
 * Works through an import's rows one by one (in file order, so an earlier row's record is there
 * for a later duplicate to match), saving progress, counts and rejected rows after each chunk.
 * Ends the job as done, or as failed with the error (then rethrown). A real run is audited once
 * with its counts; each record it creates is audited by its domain.
 */
export async function runImport(services: Pick<ApiServices, 'db'>, run: ImportRun): Promise<void> {
  const { ImportJob, ImportRejectedRow } = importJobModels(services.db);
  const jobId = run.job._id;
  try {
    for (let start = 0; start < run.rows.length; start += CHUNK_ROWS) {
      const chunk = run.rows.slice(start, start + CHUNK_ROWS);
      const tally = { created: 0, matched: 0 };
      const rejected: { row: number; reason: string; cells: string[] }[] = [];
      for (const { row, cells } of chunk) {
        const outcome = await run.importRow(cells);
        switch (outcome.type) {
          case 'created':
          case 'matched':
            tally[outcome.type]++;
            break;
          case 'rejected':
            rejected.push({ row, reason: outcome.reason, cells });
            break;
        }
      }
      if (rejected.length > 0) {
        await ImportRejectedRow.insertMany(rejected.map((rejection) => ({ importId: jobId, ...rejection })));
      }
      await ImportJob.updateOne(
        { _id: jobId },
        {
          $inc: { processed: chunk.length, ...tally, rejectedCount: rejected.length },
          $push: {
            rejectedSample: { $each: rejected.map(({ row, reason }) => ({ row, reason })), $slice: REJECTED_SAMPLE },
          },
        },
      );
      // A long import yields between chunks, so the process keeps answering (progress polls too).
      await new Promise((resolve) => setImmediate(resolve));
    }
    const done = await ImportJob.findOneAndUpdate(
      { _id: jobId },
      { $set: { status: 'done', finishedAt: new Date() } },
      { returnDocument: 'after' },
    ).lean<ImportJobRecord>();
    if (done && !done.dryRun) {
      const { report } = toImportJobView(done);
      await recordAudit(services, {
        actor: run.actor,
        action: 'import.create',
        entity: 'import',
        entityId: jobId.toHexString(),
        meta: {
          entity: done.entity,
          total: report.total,
          created: report.created,
          matched: report.matched,
          rejected: report.rejectedCount,
        },
      });
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The store itself may be what failed; the caller gets the original error either way.
    await ImportJob.updateOne(
      { _id: jobId },
      { $set: { status: 'failed', error: message, finishedAt: new Date() } },
    ).catch(() => undefined);
    throw error;
  }
}
