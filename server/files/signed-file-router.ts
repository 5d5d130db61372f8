import { Router } from 'express';
import { isValidObjectId } from 'mongoose';
import { ApiError } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { fileModel, type FileRecord } from './file-model.js';
import { serveKeptFile } from './serve-kept-file.js';
import type { FileLinkSigner } from './signed-file-url.js';

/** GET /files/:id/:expires/:signature — a kept file by a signed link (see FileLinkSigner). */
export function createSignedFileRouter(
  services: () => ApiServices | undefined,
  signer: () => FileLinkSigner | undefined,
): Router {
  const router = Router();
  router.get('/files/:id/:expires/:signature', async (req, res, next) => {
    try {
      const ready = services();
      const links = signer();
      const { id, expires, signature } = req.params;
      if (!ready || !links || !isValidObjectId(id) || !links.verify(id, expires, signature)) {
        res.status(404).json({ error: { code: 'not_found', message: 'This link is wrong or has expired' } });
        return;
      }
      const file = await fileModel(ready.db).findById(id).lean<FileRecord>();
      if (!file) {
        res.status(404).json({ error: { code: 'not_found', message: 'The file is gone' } });
        return;
      }
      await serveKeptFile(ready, file, res, { crossOrigin: true });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404 && !res.headersSent) {
        res.status(404).json({ error: { code: 'not_found', message: 'The file is gone' } });
        return;
      }
      next(error);
    }
  });
  return router;
}
