import type { StoredUpload } from '../../stored-upload.js';
import { isStoredUpload } from './server-payloads.js';

/** Why an upload failed, in the terms the widget shows: 413 and 415 have messages of their own. */
export class UploadError extends Error {
  constructor(readonly reason: 'too-large' | 'type' | 'failed') {
    super(`upload failed: ${reason}`);
    this.name = 'UploadError';
  }
}

/** Sends the bytes to the files endpoint; the message that carries the file follows over the socket. */
export async function uploadFile(
  serverOrigin: string,
  channelId: string,
  visitorId: string,
  file: File,
): Promise<StoredUpload> {
  const url = `${serverOrigin}/hooks/webchat/${encodeURIComponent(channelId)}/files?visitorId=${encodeURIComponent(visitorId)}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': file.type || 'application/octet-stream',
        // Headers are ASCII only; the server decodes it.
        'x-file-name': encodeURIComponent(file.name || 'file'),
      },
      body: file,
    });
  } catch {
    throw new UploadError('failed');
  }
  if (response.status === 413) throw new UploadError('too-large');
  if (response.status === 415) throw new UploadError('type');
  if (response.status !== 201) throw new UploadError('failed');
  const stored: unknown = await response.json().catch(() => undefined);
  if (!isStoredUpload(stored)) throw new UploadError('failed');
  return stored;
}
