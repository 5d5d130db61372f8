import type { Request, Response } from 'express';
import { badRequest } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { errorTexts } from '../api/error-texts.js';
import { fingerprintOf, idempotent, IDEMPOTENCY_KEY_PATTERN } from '../http/idempotency.js';
import { acceptInboundLead } from '../leads/accept-inbound-lead.js';
import type { FormRecord } from './form-model.js';
import { formLead } from './form-lead.js';
import type { SubmissionBody } from './form-schemas.js';
import { takeSubmissionSlot } from './form-submission-limit.js';
import { FORM_TEXTS } from './form-texts.js';
import { findActiveForm } from './find-active-form.js';
import { FormAnswersError, honeypotFilled, readFormSubmission } from './read-form-submission.js';
import { renderFormResultPage } from './render-form-result-page.js';

// Without an id from the page (a plain HTML form), the same answers within this window are one submission.
const AUTOMATIC_KEY_WINDOW_MS = 10 * 60 * 1000;

function languageOf(body: SubmissionBody, req: Request): 'ru' | 'en' {
  const given = body.language;
  if (given === 'ru' || given === 'en') return given;
  return req.acceptsLanguages('ru', 'en') === 'en' ? 'en' : 'ru';
}

function httpUrl(value: string | undefined): string | undefined {
  return value && /^https?:\/\//i.test(value) && URL.canParse(value) ? value : undefined;
}

/** A problem page for a plain HTML form: each field's problem in the visitor's language. */
function problemPage(form: FormRecord, error: FormAnswersError, language: 'ru' | 'en', backUrl: string | undefined) {
  const lines = error.problems.map(({ key, code }) => {
    const field = form.fields.find((candidate) => candidate.key === key);
    const text = FORM_TEXTS[code][language];
    return field ? `${field.label[language] ?? field.label.ru}: ${text}` : text;
  });
  return renderFormResultPage({
    language,
    title: FORM_TEXTS.checkFields[language],
    lines,
    backUrl,
    backLabel: FORM_TEXTS.back[language],
  });
}

/**
 * `POST /forms/:id/submissions`, after the CORS check: the per-IP limit, the honeypot (a bot is
 * told "thank you" and nothing is stored), the answers against the form, then the lead spine,
 * once per submission (the Idempotency-Key header, else the embed script's submission id, else
 * the answers themselves for a while). A browser navigating (a plain HTML form) gets a page, a
 * script JSON: `{ received: true, message }`.
 */
export async function submitForm(
  services: ApiServices,
  formId: string,
  body: SubmissionBody,
  req: Request,
  res: Response,
): Promise<void> {
  await takeSubmissionSlot(services, req.ip ?? 'unknown');
  const form = await findActiveForm(services.db, formId);
  const language = languageOf(body, req);
  const asPage = req.accepts(['json', 'html']) === 'html';
  const backUrl =
    httpUrl(req.get('referer')) ?? httpUrl(typeof body.landing_page === 'string' ? body.landing_page : undefined);
  const thanks = { received: true, message: form.thankYou[language] };
  const answer = (status: number, payload: unknown) => {
    if (!asPage) return void res.status(status).json(payload);
    const page = renderFormResultPage({
      language,
      title: FORM_TEXTS.sent[language],
      lines: [form.thankYou[language]],
      backUrl,
      backLabel: FORM_TEXTS.back[language],
    });
    res.status(status).type('html').send(page);
  };

  if (honeypotFilled(body)) {
    services.logger.info({ formId, ip: req.ip }, 'form submission caught by the honeypot; nothing stored');
    return answer(200, thanks);
  }
  let submission;
  try {
    submission = readFormSubmission(form, body);
  } catch (error) {
    if (!asPage || !(error instanceof FormAnswersError)) throw error;
    res
      .status(error.status)
      .type('html')
      .send(problemPage(form, error, language, backUrl));
    return;
  }
  const headerKey = req.get('idempotency-key');
  if (headerKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(headerKey)) {
    throw badRequest(errorTexts.say('idempotencyKey'));
  }
  const { submissionId, ...request } = submission;
  const key =
    headerKey ??
    submissionId ??
    `auto-${fingerprintOf(request).slice(0, 32)}-${Math.floor(Date.now() / AUTOMATIC_KEY_WINDOW_MS)}`;
  const result = await idempotent(services, { scope: `form:${formId}`, key, request }, async () => {
    await acceptInboundLead(services, await formLead(services, form, submission, key));
    return { status: 200, body: thanks };
  });
  if (result.replayed) res.set('Idempotent-Replayed', 'true');
  answer(result.status, result.body);
}
