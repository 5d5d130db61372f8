/** A file kept by `POST /files`, ready to send with a reply. */
export interface UploadedFile {
  id: string;
  fileName: string;
  mimeType: string;
  size: number;
  url: string;
}

export type UploadResult =
  { ok: true; file: UploadedFile } | { ok: false; reason: 'too-large' | 'type-not-allowed' | 'failed' };

/** Uploads a file chosen in the composer: the body is the file itself, its name in `x-file-name`. */
export async function uploadFile(file: File, csrfToken?: string): Promise<UploadResult> {
  try {
    const response = await fetch('/api/v1/files', {
      method: 'POST',
      headers: {
        'content-type': file.type || 'application/octet-stream',
        'x-file-name': encodeURIComponent(file.name),
        accept: 'application/json',
        ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
      },
      body: file,
    });
    if (response.ok) return { ok: true, file: (await response.json()) as UploadedFile };
    if (response.status === 413) return { ok: false, reason: 'too-large' };
    if (response.status === 415) return { ok: false, reason: 'type-not-allowed' };
    return { ok: false, reason: 'failed' };
  } catch {
    return { ok: false, reason: 'failed' };
  }
}
