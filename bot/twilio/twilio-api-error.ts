/**
 * A Twilio REST API call that did not succeed, as Twilio described it
 * (https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions). `httpStatus`
 * is absent when no answer came at all (connection refused, reset, timeout).
 */
export class TwilioApiError extends Error {
  readonly code = 'twilio_api_error';
  readonly httpStatus?: number;
  /** Twilio's error code (21211, 21610, 20429…): what the error mapping keys on. */
  readonly twilioCode?: number;
  /** From the Retry-After header, when the answer had one. */
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    details: { httpStatus?: number; twilioCode?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'TwilioApiError';
    this.httpStatus = details.httpStatus;
    this.twilioCode = details.twilioCode;
    this.retryAfterMs = details.retryAfterMs;
  }
}
