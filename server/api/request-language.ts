import type { Request } from 'express';
import type { Language } from '../../flows/schema/define-texts.js';

/**
 * The language a request wants its texts in, from Accept-Language: the inbox sends the one its
 * person chose, a browser its own. English without the header (scripts, partners' servers) or
 * when neither language is accepted.
 */
export function requestLanguage(req: Request): Language {
  return req.acceptsLanguages('en', 'ru') === 'ru' ? 'ru' : 'en';
}
