import { ApiError } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { normalizePhone } from '../contacts/normalize-phone.js';
import { IDEMPOTENCY_KEY_PATTERN } from '../http/idempotency.js';
import type { LeadUtm } from '../leads/inbound-lead-model.js';
import { pageUrlSchema } from '../leads/inbound-lead-schema.js';
import { emailSchema } from '../users/user-schemas.js';
import type { FormRecord } from './form-model.js';
import { HONEYPOT_FIELD, MAX_ANSWER_LENGTH, type FormField, type SubmissionBody } from './form-schemas.js';
import type { FieldProblem } from './form-texts.js';

export interface FormSubmission {
  /** The id the embed script made for this submission, when it sent a usable one. */
  submissionId?: string;
  /** Answers by field key, trimmed; empty ones left out. */
  answers: Record<string, string>;
  utm: LeadUtm;
  referrer?: string;
  landingPage?: string;
  language?: 'ru' | 'en';
}

const PROBLEM_TEXT = {
  required: 'formRequired',
  invalid_phone: 'formInvalidPhone',
  invalid_email: 'formInvalidEmail',
  invalid_number: 'formInvalidNumber',
  not_an_option: 'formNotAnOption',
  too_long: 'formTooLong',
  need_contact: 'formNeedContact',
} as const satisfies Record<FieldProblem, string>;

/** Answers that do not fit the form: a 400 naming each field with a code the page shows in its language. */
export class FormAnswersError extends ApiError {
  constructor(readonly problems: { key: string; code: FieldProblem }[]) {
    super(
      400,
      'validation_failed',
      errorTexts.say('formCheckFields'),
      problems.map(({ key, code }) => ({ in: 'body', path: key, code, message: errorTexts.say(PROBLEM_TEXT[code]) })),
    );
    this.name = 'FormAnswersError';
  }
}

const textOf = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value)?.trim();

/** Whether the trap field is filled: people never see it, so only a bot fills it. */
export function honeypotFilled(body: SubmissionBody): boolean {
  return Boolean(textOf(body[HONEYPOT_FIELD]));
}

/** '150 000,50' → 150000.5: how people type amounts; undefined when it is no amount. */
export function parseAmount(text: string): number | undefined {
  const value = Number(text.replace(/[\s\u00a0]/g, '').replace(',', '.'));
  if (!Number.isFinite(value) || value < 0 || value > 1e12) return undefined;
  return Math.round(value * 100) / 100;
}

function problemOf(field: FormField, value: string | undefined): FieldProblem | undefined {
  if (!value) return field.required ? 'required' : undefined;
  if (value.length > MAX_ANSWER_LENGTH[field.type]) return 'too_long';
  switch (field.type) {
    case 'phone':
      return normalizePhone(value) ? undefined : 'invalid_phone';
    case 'email':
      return emailSchema.safeParse(value).success ? undefined : 'invalid_email';
    case 'select':
      return field.options?.some((option) => option.value === value) ? undefined : 'not_an_option';
    case 'text':
      return field.mapTo?.type === 'deal-amount' && parseAmount(value) === undefined ? 'invalid_number' : undefined;
    case 'textarea':
      return undefined;
  }
}

/** A page address as the browser reported it; anything else is dropped (it is a hint, not an answer). */
const pageUrl = (value: string | undefined) => (value ? pageUrlSchema.safeParse(value).data : undefined);

function utmOf(body: SubmissionBody): LeadUtm {
  const utm: LeadUtm = {};
  for (const name of ['source', 'medium', 'campaign', 'term', 'content'] as const) {
    const value = textOf(body[`utm_${name}`])?.slice(0, 200);
    if (value) utm[name] = value;
  }
  return utm;
}

/**
 * A submission checked against its form: each answer fits its field (required, phone, e-mail,
 * option, length), and the person left a phone or an e-mail; otherwise FormAnswersError.
 */
export function readFormSubmission(form: FormRecord, body: SubmissionBody): FormSubmission {
  const answers: Record<string, string> = {};
  const problems: { key: string; code: FieldProblem }[] = [];
  for (const field of form.fields) {
    const value = textOf(body[field.key]);
    const code = problemOf(field, value);
    if (code) problems.push({ key: field.key, code });
    else if (value) answers[field.key] = value;
  }
  const reachBy = form.fields.filter((f) => f.mapTo?.type === 'contact-phone' || f.mapTo?.type === 'contact-email');
  const reachable = reachBy.some((field) => answers[field.key]);
  const unmarked = reachBy.find((field) => !problems.some((problem) => problem.key === field.key));
  if (!reachable && unmarked) problems.push({ key: unmarked.key, code: 'need_contact' });
  if (problems.length > 0) throw new FormAnswersError(problems);
  const submissionId = textOf(body.submission_id);
  const language = textOf(body.language);
  const referrer = pageUrl(textOf(body.referrer));
  const landingPage = pageUrl(textOf(body.landing_page));
  return {
    ...(submissionId && IDEMPOTENCY_KEY_PATTERN.test(submissionId) ? { submissionId } : {}),
    answers,
    utm: utmOf(body),
    ...(referrer ? { referrer } : {}),
    ...(landingPage ? { landingPage } : {}),
    ...(language === 'ru' || language === 'en' ? { language } : {}),
  };
}
