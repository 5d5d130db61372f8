import { validationTexts } from './validation-texts.js';

/**
 * An API failure as the client sees it: `{ error: { code, message, details } }` with an HTTP
 * status. Handlers throw these; the API router turns anything else into a 500.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): { error: { code: string; message: string; details?: unknown } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export const badRequest = (message: string, details?: unknown) => new ApiError(400, 'bad_request', message, details);
export const validationFailed = (details: unknown, message = validationTexts.say('invalidFields')) =>
  new ApiError(400, 'validation_failed', message, details);
export const unauthorized = (message = 'Sign in first') => new ApiError(401, 'unauthorized', message);
export const forbidden = (message = 'Your role does not allow this') => new ApiError(403, 'forbidden', message);
export const notFound = (what = 'Record') => new ApiError(404, 'not_found', `${what} not found`);
export const conflict = (message: string, details?: unknown) => new ApiError(409, 'conflict', message, details);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new ApiError(429, 'rate_limited', message, { retryAfterSeconds });
