import { z } from 'zod';
import { VkApiError } from './vk-api-error.js';

/** The API version every call asks for; Callback API servers should be set to the same one. */
export const VK_API_VERSION = '5.199';

/** Where a community's calls go and with which token. */
export interface VkTarget {
  /** e.g. https://api.vk.com/method, no trailing slash. */
  apiRoot: string;
  accessToken: string;
}

/**
 * Long enough for VK's slowest honest answer, short enough that a stuck connection does not hold an
 * outbound worker slot; file transfers get more.
 */
const TIMEOUT_MS = 30_000;
export const FILE_TIMEOUT_MS = 120_000;

const errorAnswerSchema = z.object({
  error: z.object({ error_code: z.number().int(), error_msg: z.string().optional() }),
});

/**
 * Calls one API method (https://dev.vk.com/api/api-requests): a POST to `<root>/<method>` with the
 * parameters and the version form-encoded in the body and the token in `Authorization: Bearer`, so
 * it never sits in a URL a proxy might log. Resolves with `response`; throws VkApiError with VK's
 * error code otherwise.
 */
export async function callVkApi(
  target: VkTarget,
  method: string,
  params: Record<string, string | number | undefined>,
): Promise<unknown> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) body.set(key, String(value));
  body.set('v', VK_API_VERSION);
  let response: Response;
  try {
    response = await fetch(`${target.apiRoot}/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.accessToken}` },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new VkApiError(`The VK API did not answer ${method}`, { cause: error });
  }
  const retryAfter = retryAfterMs(response.headers.get('retry-after'));
  const text = await response.text().catch(() => '');
  const json = parseJson(text);
  const failure = errorAnswerSchema.safeParse(json);
  if (failure.success) {
    const { error_code: vkCode, error_msg: message } = failure.data.error;
    throw new VkApiError(`${method}: ${message ?? `error ${vkCode}`}`, {
      httpStatus: response.status,
      vkCode,
      retryAfterMs: retryAfter,
    });
  }
  if (!response.ok || typeof json !== 'object' || json === null || !('response' in json)) {
    throw new VkApiError(`${method}: HTTP ${response.status} without an API answer`, {
      httpStatus: response.status,
      retryAfterMs: retryAfter,
    });
  }
  return json.response;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
