import { ApiError } from '../api/api-error.js';
import type { CorsCheck } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { findActiveForm } from './find-active-form.js';

/**
 * The CORS check of form submissions: the browser's Origin must be one of the form's sites. An
 * Origin is public and a script can send any, so this keeps other sites from embedding the form,
 * not a determined bot (the honeypot and the rate limit are for those). Browsers send an Origin
 * with every cross-site POST, a plain HTML form's included; a request without one is refused.
 */
export const admitFormOrigin: CorsCheck = async (req, services) => {
  const form = await findActiveForm(services.db, req.params.id);
  const origin = req.get('origin');
  if (!origin || !URL.canParse(origin)) {
    throw new ApiError(403, 'origin_required', errorTexts.say('originRequired'));
  }
  if (!form.allowedOrigins.includes(new URL(origin).origin)) {
    throw new ApiError(403, 'origin_not_allowed', errorTexts.sayWith('originNotAllowed', { origin }));
  }
};
