import type { Response } from 'express';
import type { ExportFile } from './create-export.js';

/**
 * Sends an export as the file it is, not as JSON (the router sees the response sent and leaves
 * it): every export route answers with the same headers, the row count among them.
 */
export function sendExportFile(res: Response, file: ExportFile): undefined {
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
}
