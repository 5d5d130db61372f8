import { detectLanguage } from './detect-language.js';
import { extractAddress } from './extract-address.js';
import { extractBudget } from './extract-budget.js';
import { extractEmails } from './extract-emails.js';
import { extractIntents } from './extract-intents.js';
import { extractName } from './extract-name.js';
import { extractPhones } from './extract-phones.js';
import { extractNumbers, extractQuantities } from './extract-quantities.js';
import { extractWhen } from './extract-when.js';
import type { ExtractContext, Extraction } from './extraction-schema.js';

const PHONE_LIKE = /\+?\d[\d\s().-]{8,18}\d/g;
const EMAIL_LIKE = /\S+@\S+/g;

/**
 * Everything the deterministic Russian/English extractor finds in one message: what the bot uses
 * without an LLM key, and what it falls back to when the LLM fails. Pure and synchronous.
 */
export function extractOffline(text: string, context: ExtractContext & { languageHint?: 'ru' | 'en' }): Extraction {
  // Addresses and links are Latin whatever language the client writes in.
  const language = detectLanguage(text.replace(EMAIL_LIKE, ' ').replace(/https?:\/\/\S+/g, ' '), context.languageHint);
  const phones = extractPhones(text);
  // Phone digits and e-mail parts are not quantities, budgets or dates.
  const rest = text
    .replace(PHONE_LIKE, (candidate) => (extractPhones(candidate).length ? ' ' : candidate))
    .replace(EMAIL_LIKE, ' ');
  const name = extractName(text);
  const budget = extractBudget(rest);
  const when = extractWhen(rest, language, context);
  const address = extractAddress(rest);
  return {
    language,
    phones,
    emails: extractEmails(text),
    ...(name ? { name } : {}),
    quantities: extractQuantities(rest),
    numbers: extractNumbers(rest),
    ...(budget ? { budget } : {}),
    ...(when ? { when } : {}),
    ...(address ? { address } : {}),
    intents: extractIntents(text),
  };
}
