/**
 * A Graph API call that did not succeed, as Meta described it
 * (https://developers.facebook.com/docs/graph-api/guides/error-handling). `httpStatus` is absent
 * when no answer came at all (connection refused, reset, timeout).
 */
export class WhatsappApiError extends Error {
  readonly code = 'whatsapp_api_error';
  readonly httpStatus?: number;
  /** Graph's `error.code` (130429, 131047, 190…): what the error mapping keys on. */
  readonly graphCode?: number;
  readonly graphSubcode?: number;
  /** From the Retry-After header, when the answer had one. */
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    details: {
      httpStatus?: number;
      graphCode?: number;
      graphSubcode?: number;
      retryAfterMs?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'WhatsappApiError';
    this.httpStatus = details.httpStatus;
    this.graphCode = details.graphCode;
    this.graphSubcode = details.graphSubcode;
    this.retryAfterMs = details.retryAfterMs;
  }
}
