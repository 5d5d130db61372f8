import { ApiError } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';

/** The most rows one export holds: the file is built in memory before it is sent. */
export const MAX_EXPORT_ROWS = 50_000;

/** Refuses an export that matched more rows than MAX_EXPORT_ROWS (read MAX + 1 to know). */
export function assertExportable(rowCount: number): void {
  if (rowCount <= MAX_EXPORT_ROWS) return;
  throw new ApiError(422, 'export_too_large', errorTexts.sayWith('exportTooLarge', { max: MAX_EXPORT_ROWS }), {
    maxRows: MAX_EXPORT_ROWS,
  });
}
