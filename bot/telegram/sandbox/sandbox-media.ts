import { randomBytes } from 'node:crypto';
import { TelegramApiFailure } from './telegram-api-failure.js';
import { isUpload, type BotApiParams, type UploadedFile } from './bot-api-params.js';

/** A file the sandbox keeps: sent by the bot, or put there for a test to download. */
export interface StoredFile {
  fileId: string;
  uniqueId: string;
  path: string;
  bytes: Buffer;
  mimeType: string;
}

/** The form field that carries the file, per send method, and the kind our adapter calls it. */
export const FILE_FIELDS: Readonly<Record<string, { field: string; kind: string }>> = {
  sendphoto: { field: 'photo', kind: 'image' },
  senddocument: { field: 'document', kind: 'document' },
  sendvoice: { field: 'voice', kind: 'voice' },
  sendaudio: { field: 'audio', kind: 'audio' },
  sendvideo: { field: 'video', kind: 'video' },
  sendsticker: { field: 'sticker', kind: 'sticker' },
};

/** One bot's files, by file_id; paths are what getFile answers and /file/bot<token>/<path> serves. */
export class SandboxFiles {
  private readonly files = new Map<string, StoredFile>();

  store(bytes: Buffer, mimeType: string, folder: string, fileId?: string): StoredFile {
    const id = fileId ?? `BQAC${randomBytes(24).toString('base64url')}`;
    const file = {
      fileId: id,
      uniqueId: randomBytes(8).toString('hex'),
      path: `${folder}/file_${this.files.size}`,
      bytes,
      mimeType,
    };
    this.files.set(id, file);
    return file;
  }

  get(fileId: string): StoredFile | undefined {
    return this.files.get(fileId);
  }

  byPath(path: string): StoredFile | undefined {
    return [...this.files.values()].find((file) => file.path === path);
  }

  /** A file sent as a multipart part (directly or as attach://<part>), or a file_id already here. */
  upload(params: BotApiParams, name: string): UploadedFile | undefined {
    const value = params.get(name);
    if (isUpload(value)) return value;
    if (typeof value !== 'string' || !value) return undefined;
    const attached = value.startsWith('attach://') ? params.get(value.slice('attach://'.length)) : undefined;
    if (isUpload(attached)) return attached;
    const known = this.files.get(value);
    if (known) return { fileName: known.path.split('/').pop() ?? 'file', bytes: known.bytes };
    throw new TelegramApiFailure(400, 'Bad Request: wrong file identifier/HTTP URL specified');
  }
}

/** The object a send method answers with for its file (https://core.telegram.org/bots/api#message). */
export function mediaResult(field: string, file: StoredFile, fileName: string): unknown {
  const base = { file_id: file.fileId, file_unique_id: file.uniqueId, file_size: file.bytes.length };
  switch (field) {
    case 'photo':
      // Telegram answers with the sizes it made of the photo, smallest first.
      return [
        { ...base, file_id: `${file.fileId}_s`, width: 90, height: 67 },
        { ...base, width: 800, height: 600 },
      ];
    case 'sticker':
      return { ...base, type: 'regular', width: 512, height: 512, is_animated: false, is_video: false };
    case 'document':
      return { ...base, file_name: fileName, mime_type: file.mimeType };
    default:
      return { ...base, duration: 1, file_name: fileName, mime_type: file.mimeType };
  }
}
