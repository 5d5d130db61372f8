/**
 * A VK API call that did not succeed. VK answers most failures with HTTP 200 and
 * `{"error": {"error_code", "error_msg"}}` (https://dev.vk.com/reference/errors); `httpStatus` is
 * set when the HTTP exchange itself failed, and both are absent when no answer came at all
 * (connection refused, reset, timeout).
 */
export class VkApiError extends Error {
  readonly code = 'vk_api_error';
  readonly httpStatus?: number;
  /** VK's `error_code` (6, 901, 914…): what the error mapping keys on. */
  readonly vkCode?: number;
  /** From a Retry-After header, when the answer had one. */
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    details: { httpStatus?: number; vkCode?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'VkApiError';
    this.httpStatus = details.httpStatus;
    this.vkCode = details.vkCode;
    this.retryAfterMs = details.retryAfterMs;
  }
}
