import type { z } from 'zod';
import type { Language } from '../../flows/schema/define-texts.js';
import { zodErrorMap } from '../../flows/schema/zod-error-map.js';
import { validationFailed } from './api-error.js';
import { validationTexts } from './validation-texts.js';

/** One problem with a request's input, as a 400 `validation_failed` lists them in `details`. */
export interface InputProblem {
  /** Which part of the request: params, query or body. */
  in?: string;
  path: string;
  message: string;
}

/**
 * Parses a request's input with every message in `language`: zod's own through its locale for
 * this parse alone, the schemas' texts through validation-texts.ts. Throws the API's 400 listing
 * every problem.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  language: Language,
  part?: string,
): z.output<S> {
  const result = schema.safeParse(value, { error: zodErrorMap(language) });
  if (result.success) return result.data;
  throw validationFailed(
    result.error.issues.map((issue) => ({
      ...(part ? { in: part } : {}),
      path: issue.path.join('.'),
      message: validationTexts.localize(issue, language),
    })),
    validationTexts.words(language)('invalidFields'),
  );
}

/** The API's 400 for problems found outside a schema, each text of validation-texts.ts in `language`. */
export function inputProblems(problems: InputProblem[], language: Language) {
  return validationFailed(
    problems.map((problem) => ({ ...problem, message: validationTexts.translate(problem.message, language) })),
    validationTexts.words(language)('invalidFields'),
  );
}
