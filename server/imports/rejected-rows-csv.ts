import { stringify } from 'csv-stringify/sync';
import type { Connection } from 'mongoose';
import { importJobModels, type ImportJobRecord, type ImportRejectedRowRecord } from './import-job-models.js';

/**
 * The rejected rows as a file to fix and import again with the same mapping: the original header
 * and cells, the file's own delimiter, plus the row number and the reason. Starts with a BOM so
 * Excel opens the UTF-8 Cyrillic correctly.
 */
export async function rejectedRowsCsv(db: Connection, job: ImportJobRecord): Promise<string> {
  const rows = await importJobModels(db)
    .ImportRejectedRow.find({ importId: job._id })
    .sort({ row: 1 })
    .lean<ImportRejectedRowRecord[]>();
  // A ragged row may be longer than the header; its extra cells are kept too.
  const width = Math.max(job.columns.length, ...rows.map((rejected) => rejected.cells.length));
  const columns = Array.from({ length: width }, (_, i) => job.columns[i] ?? '');
  const header = [...columns, 'Строка / Row', 'Причина / Reason'];
  const body = rows.map((rejected) => [
    ...Array.from({ length: width }, (_, i) => rejected.cells[i] ?? ''),
    String(rejected.row),
    rejected.reason,
  ]);
  return `\uFEFF${stringify([header, ...body], { delimiter: job.delimiter })}`;
}
