import { Router } from 'express';
import { isValidObjectId } from 'mongoose';
import { ApiError } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { requestLanguage } from '../api/request-language.js';
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
    const answerNotFound = (text: 'fileLinkWrong' | 'fileGone') =>
      res.status(404).json({ error: { code: 'not_found', message: errorTexts.words(requestLanguage(req))(text) } });
    try {
      const ready = services();
      const links = signer();
      const { id, expires, signature } = req.params;
      if (!ready || !links || !isValidObjectId(id) || !links.verify(id, expires, signature)) {
        answerNotFound('fileLinkWrong');
        return;
      }
      const file = await fileModel(ready.db).findById(id).lean<FileRecord>();
      if (!file) {
        answerNotFound('fileGone');
        return;
      }
      await serveKeptFile(ready, file, res, { crossOrigin: true });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404 && !res.headersSent) {
        answerNotFound('fileGone');
        return;
      }
      next(error);
    }
  });
  return router;
}
