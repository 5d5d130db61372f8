import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { Types, type Connection } from 'mongoose';
import type { ErrorMessage } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import type { FileStore } from './file-store.js';
import { fileModel, type FileRecord } from './file-model.js';

/** A file refused by its size or type; `status` is the HTTP answer (413, 415), `text` what the API answers. */
export class FileRejectedError extends Error {
  constructor(
    readonly status: 413 | 415,
    readonly text: ErrorMessage,
  ) {
    super(typeof text === 'string' ? text : text.message);
    this.name = 'FileRejectedError';
  }
}

const tooLarge = (maxBytes: number) =>
  new FileRejectedError(413, errorTexts.sayWith('fileTooLarge', { megabytes: Math.round(maxBytes / 1024 / 1024) }));

/**
 * Types people send to a sales chat: photos, voice notes, videos, documents, estimates.
 * HTML, SVG and scripts are not among them: served from our origin they could run in the inbox.
 */
const ALLOWED = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/heic',
  'image/heif',
  'image/bmp',
  'image/tiff',
  'video/mp4',
  'video/quicktime',
  'video/webm',
  'video/3gpp',
  'audio/ogg',
  'audio/opus',
  'audio/mpeg',
  'audio/mp4',
  'audio/aac',
  'audio/wav',
  'audio/x-wav',
  'audio/webm',
  'audio/amr',
  'application/pdf',
  'application/zip',
  'application/gzip',
  'application/x-rar-compressed',
  'application/vnd.rar',
  'application/x-7z-compressed',
  'application/x-cfb',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/rtf',
  'text/plain',
  'text/csv',
]);

/** Types shown in the browser; anything else is served as a download. */
export function isInlineType(mimeType: string): boolean {
  return /^(image|audio|video)\//.test(mimeType) || mimeType === 'application/pdf';
}

function isPlainText(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, 64 * 1024));
    return true;
  } catch {
    return false;
  }
}

async function readLimited(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += buffer.length;
    if (size > maxBytes) {
      body.destroy();
      throw tooLarge(maxBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** What the bytes are, by their content; declared types are only trusted for plain text. */
async function detectType(bytes: Buffer, declared: string | undefined): Promise<string> {
  const sniffed = await fileTypeFromBuffer(bytes);
  if (sniffed) return sniffed.mime === 'audio/x-m4a' ? 'audio/mp4' : sniffed.mime;
  if (!isPlainText(bytes)) return 'application/octet-stream';
  return declared === 'text/csv' ? 'text/csv' : 'text/plain';
}

/**
 * Keeps a received or uploaded file: size limit, type from the bytes against the allow-list,
 * the bytes in the file store, a record in the database.
 */
export async function keepFile(
  dependencies: { db: Connection; files: FileStore; maxBytes: number },
  input: {
    body: Readable | Buffer;
    fileName?: string;
    declaredType?: string;
    conversationId?: Types.ObjectId;
    contactId?: Types.ObjectId;
    uploadedById?: Types.ObjectId;
    visitorKey?: string;
    /**
     * What this file is, when the same file may be kept again (a mail read again after a crash, a
     * retried media download): the id is derived from it, so a repeat finds the first record.
     */
    sourceKey?: string;
  },
): Promise<FileRecord> {
  const bytes = Buffer.isBuffer(input.body) ? input.body : await readLimited(input.body, dependencies.maxBytes);
  if (bytes.length > dependencies.maxBytes) {
    throw tooLarge(dependencies.maxBytes);
  }
  if (bytes.length === 0) throw new FileRejectedError(415, errorTexts.say('fileEmpty'));
  const mimeType = await detectType(bytes, input.declaredType?.split(';')[0]?.trim().toLowerCase());
  if (!ALLOWED.has(mimeType)) throw new FileRejectedError(415, errorTexts.sayWith('fileType', { type: mimeType }));
  const _id = input.sourceKey ? idOfSource(input.sourceKey) : new Types.ObjectId();
  if (input.sourceKey) {
    const kept = await fileModel(dependencies.db).findById(_id).lean<FileRecord>();
    if (kept) return kept;
  }
  const id = _id.toHexString();
  const storageKey = `${id.slice(-2)}/${id}`;
  await dependencies.files.put(storageKey, Readable.from([bytes]));
  const record: FileRecord = {
    _id,
    storageKey,
    mimeType,
    fileName: (input.fileName ?? 'file').replace(/[\\/\0\r\n]/g, '_').slice(0, 200) || 'file',
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    ...(input.conversationId ? { conversationId: input.conversationId } : {}),
    ...(input.contactId ? { contactId: input.contactId } : {}),
    ...(input.uploadedById ? { uploadedById: input.uploadedById } : {}),
    ...(input.visitorKey ? { visitorKey: input.visitorKey } : {}),
    createdAt: new Date(),
  };
  try {
    await fileModel(dependencies.db).create(record);
  } catch (error) {
    // Two keeps of one source at once: the bytes are the same under the same key; one record stands.
    const kept =
      input.sourceKey && isDuplicateKeyError(error)
        ? await fileModel(dependencies.db).findById(_id).lean<FileRecord>()
        : null;
    if (!kept) throw error;
    return kept;
  }
  return record;
}

/** A stable ObjectId for a source key (12 bytes of its SHA-256). */
function idOfSource(sourceKey: string): Types.ObjectId {
  return new Types.ObjectId(createHash('sha256').update(`file|${sourceKey}`).digest().subarray(0, 12));
}
