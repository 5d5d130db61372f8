import type { ImportRequest } from './import-schemas.js';
import { readImportCsv, type ImportTable } from './read-import-csv.js';
import { readImportXlsx } from './read-import-xlsx.js';

/** The request's file as a header and rows, whatever its format: from here on CSV and XLSX are one pipeline. */
export async function readImportFile(
  request: Pick<ImportRequest, 'format' | 'csv' | 'encoding'>,
): Promise<ImportTable> {
  switch (request.format) {
    case 'csv':
      return readImportCsv(request);
    case 'xlsx':
      return readImportXlsx(request);
  }
}
