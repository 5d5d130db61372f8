import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { notFound } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import type { FileRecord } from './file-model.js';
import { isInlineType } from './keep-file.js';

/**
 * Streams a kept file with the headers that make it safe to serve from our origin: the type we
 * found (never sniffed by the browser), and anything that is not media or a PDF as a download.
 */
export async function serveKeptFile(
  services: Pick<ApiServices, 'files'>,
  file: FileRecord,
  res: Response,
  options: { crossOrigin?: boolean } = {},
): Promise<void> {
  let body: Readable;
  try {
    body = await services.files.get(file.storageKey);
  } catch (error) {
    // The record outlived its bytes (a disk restored without them, a bucket emptied by hand).
    if ((error as { code?: unknown }).code === 'ENOENT') throw notFound('File');
    throw error;
  }
  res.setHeader('content-type', file.mimeType);
  res.setHeader('content-length', String(file.size));
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('cache-control', 'private, max-age=3600');
  // Signed links are shown by the widget on customers' sites.
  if (options.crossOrigin) res.setHeader('cross-origin-resource-policy', 'cross-origin');
  res.setHeader(
    'content-disposition',
    `${isInlineType(file.mimeType) ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
  );
  await pipeline(body, res);
}
