import { answerLanguage, languageHeader } from './language-header.js';

/** What a change request came to: the answer's body, or the server's reasons for refusing it. */
export type SendResult<T> =
  | { ok: true; status: number; data: T }
  | {
      ok: false;
      /** 0 when the server was not reached at all. */
      status: number;
      /** The API's error code (`validation_failed`, `duplicate_contact`, `conflict`…). */
      code?: string;
      message?: string;
      /** The language the server worded `message` in (Content-Language); absent: English, as servers used to answer. */
      language?: 'ru' | 'en';
      details?: unknown;
      /** The server's validation messages by field path (`allowedOrigins.0`, `teamIds`…). */
      fields: Record<string, string>;
    };

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

function isIssue(value: unknown): value is { path: string; message: string } {
  if (typeof value !== 'object' || value === null) return false;
  const issue = value as Record<string, unknown>;
  return typeof issue.path === 'string' && typeof issue.message === 'string';
}

/**
 * Reads an error answer, `{ error: { message, details } }`: a 400 `validation_failed` lists its
 * issues in `details` with the path of each field, so a form can put each message beside its field.
 */
export function readApiError(
  status: number,
  body: unknown,
  language?: 'ru' | 'en',
): Extract<SendResult<never>, { ok: false }> {
  const error = (body as ErrorBody | undefined)?.error;
  const fields: Record<string, string> = {};
  if (Array.isArray(error?.details)) {
    for (const issue of error.details.filter(isIssue)) fields[issue.path] ??= issue.message;
  }
  return {
    ok: false,
    status,
    ...(typeof error?.code === 'string' ? { code: error.code } : {}),
    ...(typeof error?.message === 'string' ? { message: error.message } : {}),
    ...(language ? { language } : {}),
    ...(error?.details === undefined ? {} : { details: error.details }),
    fields,
  };
}

/**
 * Sends a change to the API (`POST`, `PATCH`, `DELETE`) with the session's CSRF token. It never
 * throws: a refusal or a lost connection comes back as `ok: false` for the form to show.
 */
export function sendJson<T>(
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  body: unknown,
  csrfToken: string | undefined,
): Promise<SendResult<T>> {
  return exchange<T>(url, {
    method,
    headers: {
      accept: 'application/json',
      ...languageHeader(),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/**
 * Reads from the API keeping the server's reason for a refusal (a period too long, a page outside
 * the user's role) for the page to show. Throws only when `signal` aborted it (a newer read won).
 */
export function readJson<T>(url: string, signal?: AbortSignal): Promise<SendResult<T>> {
  return exchange<T>(url, {
    headers: { accept: 'application/json', ...languageHeader() },
    ...(signal ? { signal } : {}),
  });
}

async function exchange<T>(url: string, init: RequestInit): Promise<SendResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    return { ok: false, status: 0, fields: {} };
  }
  const parsed: unknown = await response.json().catch(() => undefined);
  if (!response.ok) return readApiError(response.status, parsed, answerLanguage(response.headers));
  return { ok: true, status: response.status, data: parsed as T };
}
