import { z } from 'zod';
import { TwilioApiError } from './twilio-api-error.js';

/** Where an account's REST calls go and with which credentials. */
export interface TwilioTarget {
  /** TWILIO_API_ROOT: https://api.twilio.com or a local stand-in, no trailing slash. */
  apiRoot: string;
  accountSid: string;
  authToken: string;
}

/** Long enough for Twilio's slowest honest answer, short enough not to hold an outbound worker slot. */
const TIMEOUT_MS = 30_000;
export const FILE_TIMEOUT_MS = 120_000;

/** Twilio's error body (https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions). */
const errorBodySchema = z.object({
  code: z.number().int().optional(),
  message: z.string().optional(),
  more_info: z.string().optional(),
});

/**
 * One request to the REST API below `/2010-04-01/Accounts/<AccountSid>`, authorized with HTTP basic
 * auth (AccountSid and Auth Token), a form body when given. Resolves with a 2xx response; throws
 * TwilioApiError with Twilio's error code otherwise.
 */
export async function callTwilioApi(
  target: TwilioTarget,
  path: string,
  init: { method: 'GET' | 'POST'; form?: URLSearchParams; timeoutMs?: number },
): Promise<Response> {
  const url = `${target.apiRoot}/2010-04-01/Accounts/${encodeURIComponent(target.accountSid)}${path}`;
  const authorization = `Basic ${Buffer.from(`${target.accountSid}:${target.authToken}`).toString('base64')}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method,
      headers: { authorization, accept: 'application/json' },
      body: init.form,
      signal: AbortSignal.timeout(init.timeoutMs ?? TIMEOUT_MS),
    });
  } catch (error) {
    throw new TwilioApiError(`Twilio did not answer ${init.method} ${path}`, { cause: error });
  }
  if (response.ok) return response;
  const text = await response.text().catch(() => '');
  const body = errorBodySchema.safeParse(parseJson(text));
  const twilioCode = body.success ? body.data.code : undefined;
  const message = body.success && body.data.message ? body.data.message : `HTTP ${response.status}`;
  throw new TwilioApiError(twilioCode === undefined ? message : `${message} (Twilio error ${twilioCode})`, {
    httpStatus: response.status,
    twilioCode,
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
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
