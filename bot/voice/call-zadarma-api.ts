import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ZadarmaApiError } from './zadarma-api-error.js';
import { zadarmaSignature } from './zadarma-signature.js';

export interface ZadarmaTarget {
  /** ZADARMA_API_ROOT: https://api.zadarma.com or a local stand-in, no trailing slash. */
  apiRoot: string;
  apiKey: string;
  apiSecret: string;
}

const TIMEOUT_MS = 30_000;

const answerSchema = z.looseObject({ status: z.string(), message: z.string().optional() });

/**
 * One GET to the Zadarma API (https://zadarma.com/en/support/api/#intro_authorization): the
 * parameters sorted by name and form-encoded, and `Authorization: <key>:<signature>` where the
 * signature signs the method path, that query string and its MD5. Resolves with the JSON answer
 * when its status is `success`; throws ZadarmaApiError otherwise.
 */
export async function callZadarmaApi(
  target: ZadarmaTarget,
  method: string,
  params: Record<string, string>,
): Promise<Record<string, unknown>> {
  const query = new URLSearchParams(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))).toString();
  const md5 = createHash('md5').update(query).digest('hex');
  const authorization = `${target.apiKey}:${zadarmaSignature(`${method}${query}${md5}`, target.apiSecret)}`;
  let response: Response;
  try {
    response = await fetch(`${target.apiRoot}${method}?${query}`, {
      headers: { authorization },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new ZadarmaApiError(`Zadarma did not answer ${method}`, { cause: error });
  }
  const answer = answerSchema.safeParse(await response.json().catch(() => undefined));
  if (response.ok && answer.success && answer.data.status === 'success') return answer.data;
  const message = answer.success && answer.data.message ? answer.data.message : `HTTP ${response.status}`;
  throw new ZadarmaApiError(`${method}: ${message}`, {
    httpStatus: response.status,
    retryable: response.status >= 500 || response.status === 429,
  });
}
