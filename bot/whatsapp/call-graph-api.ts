import { z } from 'zod';
import { WhatsappApiError } from './whatsapp-api-error.js';

/** Where a channel's calls go and with which token. */
export interface GraphTarget {
  /** e.g. https://graph.facebook.com/v21.0, no trailing slash. */
  graphUrl: string;
  accessToken: string;
}

/**
 * Long enough for Meta's slowest honest answer, short enough that a stuck connection does not hold
 * an outbound worker slot; file transfers get more since documents may be up to 100 MB.
 */
const TIMEOUT_MS = 30_000;
export const FILE_TIMEOUT_MS = 120_000;

/** `error_data` is an object on WhatsApp errors but a plain string on some older Graph ones. */
const graphErrorBodySchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().int().optional(),
    error_subcode: z.number().int().optional(),
    error_data: z.object({ details: z.string().optional() }).optional().catch(undefined),
    fbtrace_id: z.string().optional(),
  }),
});

/**
 * One authorized Graph API request; resolves with the response when it is 2xx and throws
 * WhatsappApiError otherwise, with Graph's error code when the body carries one.
 */
export async function callGraphApi(
  url: string,
  accessToken: string,
  init: { method: 'GET' | 'POST'; body?: string | FormData; json?: boolean; timeoutMs?: number },
): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${accessToken}` };
  if (init.json) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method,
      headers,
      body: init.body,
      signal: AbortSignal.timeout(init.timeoutMs ?? TIMEOUT_MS),
    });
  } catch (error) {
    throw new WhatsappApiError(`The Graph API did not answer ${init.method} ${new URL(url).pathname}`, {
      cause: error,
    });
  }
  if (response.ok) return response;
  const text = await response.text().catch(() => '');
  const body = graphErrorBodySchema.safeParse(parseJson(text));
  const error = body.success ? body.data.error : undefined;
  const details = error?.error_data?.details;
  const message = [error?.message ?? `HTTP ${response.status}`, details].filter(Boolean).join(': ');
  throw new WhatsappApiError(message, {
    httpStatus: response.status,
    graphCode: error?.code,
    graphSubcode: error?.error_subcode,
    retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
  });
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
