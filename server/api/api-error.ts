import type { Language, MadeText, SaidParams } from '../../flows/schema/define-texts.js';
import { errorTexts, type NotFoundThing } from './error-texts.js';
import { validationTexts } from './validation-texts.js';

/**
 * What an error says: English words (a fixed text of error-texts.ts or validation-texts.ts is
 * found again by them; anything else stays as it is) or a text made with `sayWith`.
 */
export type ErrorMessage = string | MadeText;

/** One problem a `validation_failed` lists in `details`; its message is worded like the error's own. */
export interface ErrorProblem {
  in?: string;
  path: string;
  message: ErrorMessage;
}

const englishOf = (message: ErrorMessage) => (typeof message === 'string' ? message : message.message);
const saidOf = (message: ErrorMessage) => (typeof message === 'string' ? undefined : message.params);

function isProblem(value: unknown): value is ErrorProblem {
  return typeof value === 'object' && value !== null && 'path' in value && 'message' in value;
}

/** A text of the API's dictionaries in `language`; any other text (a library's, a person's) as it is. */
function wordIn(language: Language, message: string, said: SaidParams | undefined): string {
  const worded = errorTexts.reword(message, said, language);
  return worded === message ? validationTexts.reword(message, said, language) : worded;
}

/**
 * An API failure as the client sees it: `{ error: { code, message, details } }` with an HTTP
 * status. Handlers throw these; the API router turns anything else into a 500. `message` and the
 * problems in `details` keep their English words; `toBody` words them in the reader's language.
 */
export class ApiError extends Error {
  readonly details?: unknown;
  /** What wording a made message again needs. */
  readonly said?: SaidParams;
  /** The same for each problem of `details`, by position. */
  private readonly problemsSaid: (SaidParams | undefined)[];

  constructor(
    readonly status: number,
    readonly code: string,
    message: ErrorMessage,
    details?: unknown,
  ) {
    super(englishOf(message));
    this.name = 'ApiError';
    this.said = saidOf(message);
    const problems = Array.isArray(details) ? details : [];
    this.problemsSaid = problems.map((item) => (isProblem(item) ? saidOf(item.message) : undefined));
    this.details = Array.isArray(details)
      ? details.map((item) => (isProblem(item) ? { ...item, message: englishOf(item.message) } : item))
      : details;
  }

  /** The answer in `language`: the dictionaries' texts in it, everything else as it is. */
  toBody(language: Language): { error: { code: string; message: string; details?: unknown } } {
    const details = Array.isArray(this.details)
      ? this.details.map((item, index) =>
          isProblem(item) && typeof item.message === 'string'
            ? { ...item, message: wordIn(language, item.message, this.problemsSaid[index]) }
            : item,
        )
      : this.details;
    return {
      error: {
        code: this.code,
        message: wordIn(language, this.message, this.said),
        ...(details === undefined ? {} : { details }),
      },
    };
  }

  toJSON(): { error: { code: string; message: string; details?: unknown } } {
    return this.toBody('en');
  }
}

const { say } = errorTexts;

export const badRequest = (message: ErrorMessage, details?: unknown) =>
  new ApiError(400, 'bad_request', message, details);
export const validationFailed = (
  problems: readonly ErrorProblem[],
  message: ErrorMessage = validationTexts.say('invalidFields'),
) => new ApiError(400, 'validation_failed', message, problems);
export const unauthorized = (message: ErrorMessage = say('signIn')) => new ApiError(401, 'unauthorized', message);
export const forbidden = (message: ErrorMessage = say('roleForbids')) => new ApiError(403, 'forbidden', message);
export const notFound = (what: NotFoundThing = 'Record') => new ApiError(404, 'not_found', `${what} not found`);
export const conflict = (message: ErrorMessage, details?: unknown) => new ApiError(409, 'conflict', message, details);
export const tooManyRequests = (message: ErrorMessage, retryAfterSeconds: number) =>
  new ApiError(429, 'rate_limited', message, { retryAfterSeconds });
