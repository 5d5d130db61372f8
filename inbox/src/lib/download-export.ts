import { answerLanguage, languageHeader } from './language-header';
import { readApiError, type SendResult } from './send-json';

/** The file name the server gave in `content-disposition`, or a fallback. */
function fileNameOf(header: string | null, fallback: string): string {
  const match = header?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  return match?.[1] ? decodeURIComponent(match[1]) : fallback;
}

/**
 * Hands an export answer to the browser as a download, or reads its refusal. Exports are fetched
 * rather than linked, so a refusal shows as a message instead of a page of JSON. Returns the rows
 * the server counted (`x-row-count`).
 */
export async function saveExport(
  request: () => Promise<Response>,
  fallbackName: string,
): Promise<SendResult<{ rows: number }>> {
  let response: Response;
  try {
    response = await request();
  } catch {
    return { ok: false, status: 0, fields: {} };
  }
  if (!response.ok)
    return readApiError(
      response.status,
      await response.json().catch(() => undefined),
      answerLanguage(response.headers),
    );
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileNameOf(response.headers.get('content-disposition'), fallbackName);
  link.click();
  // The click has started the download from the object URL; release it on the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return { ok: true, status: response.status, data: { rows: Number(response.headers.get('x-row-count') ?? 0) } };
}

/**
 * Asks `POST /exports` for a file and hands it to the browser as a download. The answer is the
 * file itself, not JSON, so it cannot be a plain link (the request needs a body and the CSRF token).
 */
export function downloadExport(
  request: { entity: 'contacts'; format: 'csv' | 'xlsx'; lang: 'ru' | 'en'; filter?: Record<string, string> },
  csrfToken: string | undefined,
): Promise<SendResult<{ rows: number }>> {
  return saveExport(
    () =>
      fetch('/api/v1/exports', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...languageHeader(),
          ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
        },
        body: JSON.stringify(request),
      }),
    `contacts.${request.format}`,
  );
}
