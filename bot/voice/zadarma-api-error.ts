/** A Zadarma API request that failed; `httpStatus` is absent when no answer came at all. */
export class ZadarmaApiError extends Error {
  readonly code = 'zadarma_api_error';
  readonly httpStatus?: number;
  /** False when asking again cannot help (no such recording, wrong key). */
  readonly retryable: boolean;

  constructor(message: string, details: { httpStatus?: number; retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: details.cause });
    this.name = 'ZadarmaApiError';
    this.httpStatus = details.httpStatus;
    this.retryable = details.retryable ?? true;
  }
}
