import { readApiError, type SendResult } from '../send-json';

/** The file name the server gave in `content-disposition`, or a fallback. */
function fileNameOf(header: string | null, fallback: string): string {
  const match = header?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  return match?.[1] ? decodeURIComponent(match[1]) : fallback;
}

/**
 * Downloads a segment's contacts (`GET /segments/:id/export`, admins only, audited) as a file. Read
 * through fetch rather than a plain link, so a refusal shows as a message instead of a page of JSON.
 */
export async function downloadSegment(
  segmentId: string,
  format: 'csv' | 'xlsx',
  lang: 'ru' | 'en',
): Promise<SendResult<null>> {
  let response: Response;
  try {
    response = await fetch(`/api/v1/segments/${encodeURIComponent(segmentId)}/export?format=${format}&lang=${lang}`);
  } catch {
    return { ok: false, status: 0, fields: {} };
  }
  if (!response.ok) return readApiError(response.status, await response.json().catch(() => undefined));
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileNameOf(response.headers.get('content-disposition'), `segment.${format}`);
  link.click();
  // The click has started the download from the object URL; release it on the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return { ok: true, status: response.status, data: null };
}
