import { Types } from 'mongoose';
import { z } from 'zod';
import { ApiError, notFound } from '../api/api-error.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { seesEverything } from '../auth/permissions.js';
import { conversationIsVisible } from '../messaging/find-visible-conversation.js';
import { conversationModel, type ConversationRecord } from '../messaging/conversation-model.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { fileModel, type FileRecord } from './file-model.js';
import { FileRejectedError, keepFile } from './keep-file.js';
import { serveKeptFile } from './serve-kept-file.js';
import { fileUrl } from '../messaging/message-views.js';

const TAG = 'files';

const fileViewSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  mimeType: z.string(),
  size: z.number(),
  url: z.string(),
});

export const fileRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/files',
    summary:
      'Upload a file to attach to a reply: the body is the file itself, `content-type` its type, `x-file-name` its URI-encoded name',
    tag: TAG,
    access: 'conversations.reply',
    bodyKind: 'raw',
    // The limit is FILES_MAX_BYTES, checked below; the body parser only stops absurd uploads.
    maxBodyBytes: 512 * 1024 * 1024,
    response: fileViewSchema,
    status: 201,
    async handler({ req, user, services }) {
      const bytes: unknown = req.body;
      if (!Buffer.isBuffer(bytes) || bytes.length === 0)
        throw new ApiError(400, 'empty_file', errorTexts.say('noFile'));
      let fileName = 'file';
      try {
        fileName = decodeURIComponent(req.get('x-file-name') ?? 'file');
      } catch {
        // A badly encoded name is not worth refusing the file for.
      }
      try {
        const file = await keepFile(
          { db: services.db, files: services.files, maxBytes: services.config.FILES_MAX_BYTES },
          { body: bytes, fileName, declaredType: req.get('content-type'), uploadedById: new Types.ObjectId(user.id) },
        );
        const id = file._id.toHexString();
        return { id, fileName: file.fileName, mimeType: file.mimeType, size: file.size, url: fileUrl(id) };
      } catch (error) {
        if (error instanceof FileRejectedError) {
          throw new ApiError(
            error.status,
            error.status === 413 ? 'file_too_large' : 'file_type_not_allowed',
            error.text,
          );
        }
        throw error;
      }
    },
  }),
  defineRoute({
    method: 'get',
    path: '/files/:id',
    summary: 'A kept file, to users who may see the conversation it belongs to',
    tag: TAG,
    access: 'conversations.read',
    params: z.strictObject({ id: objectIdSchema }),
    async handler({ params, user, services, res }) {
      const file = await fileModel(services.db).findById(params.id).lean<FileRecord>();
      if (!file) throw notFound('File');
      let allowed = seesEverything(user.role) || file.uploadedById?.toHexString() === user.id;
      if (!allowed && file.conversationId) {
        const conversation = await conversationModel(services.db)
          .findById(file.conversationId)
          .lean<ConversationRecord>();
        allowed = Boolean(conversation && (await conversationIsVisible(services, user, conversation)));
      }
      if (!allowed) throw notFound('File');
      await serveKeptFile(services, file, res);
      return undefined;
    },
  }),
];
