import { DateTime } from 'luxon';
import { z } from 'zod';
import { detectLanguage } from './detect-language.js';
import { extractBudget } from './extract-budget.js';
import { extractEmails } from './extract-emails.js';
import { extractName } from './extract-name.js';
import { extractPhones } from './extract-phones.js';
import { extractNumbers, extractQuantities } from './extract-quantities.js';
import { extractWhen } from './extract-when.js';

export const ANSWER_TYPES = ['phone', 'email', 'number', 'choice', 'date', 'text', 'name'] as const;
export type AnswerType = (typeof ANSWER_TYPES)[number];

/** A choice as the flow's `ask` step offers it: a button id and its label(s). */
export const answerChoiceSchema = z.object({
  /** Link buttons of the flow have no id and are never an answer. */
  id: z.string().min(1).optional(),
  text: z.union([z.string(), z.record(z.string(), z.string().optional())]),
  /** Other words that pick this choice ("пластик" for "Пластиковые окна"). */
  synonyms: z.array(z.string()).optional(),
});
export type AnswerChoice = z.infer<typeof answerChoiceSchema>;

export const parseAnswerOptionsSchema = z.object({
  locale: z.enum(['ru', 'en']).optional(),
  now: z.date(),
  timeZone: z.string().min(1),
  choices: z.array(answerChoiceSchema).optional(),
  /** The id of the button the client pressed, when they pressed one. */
  buttonId: z.string().optional(),
});
export type ParseAnswerOptions = z.input<typeof parseAnswerOptionsSchema>;

/** Why an answer was not accepted, so the flow can re-ask with the right hint. */
export type AnswerRejection = 'empty' | 'not-found' | 'ambiguous' | 'past';

/**
 * `value`: phone E.164, e-mail lower case, number, choice id, date `YYYY-MM-DD` (or an ISO instant
 * with the zone's offset when a time was named), text trimmed, name capitalised.
 */
export type ParsedAnswer = { ok: true; value: string | number } | { ok: false; reason: AnswerRejection };

const fail = (reason: AnswerRejection): ParsedAnswer => ({ ok: false, reason });
const single = <T>(values: T[]): ParsedAnswer | T =>
  values.length === 0 ? fail('not-found') : values.length > 1 ? fail('ambiguous') : values[0]!;

function normalise(text: string): string {
  return text
    .toLocaleLowerCase('ru')
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\d\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function parseChoice(text: string, options: z.output<typeof parseAnswerOptionsSchema>): ParsedAnswer {
  const choices = (options.choices ?? []).filter((choice): choice is AnswerChoice & { id: string } =>
    Boolean(choice.id),
  );
  const pressed = choices.find((choice) => choice.id === options.buttonId);
  if (pressed) return { ok: true, value: pressed.id };
  const said = normalise(text);
  const labelsOf = (choice: AnswerChoice) =>
    [
      choice.id,
      ...(typeof choice.text === 'string' ? [choice.text] : Object.values(choice.text)),
      ...(choice.synonyms ?? []),
    ]
      .filter((label): label is string => Boolean(label))
      .map(normalise);
  const exact = choices.filter((choice) => labelsOf(choice).includes(said));
  if (exact.length === 1) return { ok: true, value: exact[0]!.id };
  // "2" picks the second button, as people answer a numbered list.
  if (/^\d{1,2}$/.test(said)) {
    const byNumber = choices[Number(said) - 1];
    return byNumber ? { ok: true, value: byNumber.id } : fail('not-found');
  }
  // A label inside a longer answer ("давайте балкон"), or the answer's words starting a label's
  // words ("пластик" for "пластиковые"): one match only, two are ambiguous.
  const words = said.split(' ').filter((word) => word.length >= 3);
  const loose = choices.filter((choice) =>
    labelsOf(choice).some(
      (label) =>
        (label.length >= 3 && ` ${said} `.includes(` ${label} `)) ||
        label
          .split(' ')
          .some(
            (labelWord) =>
              labelWord.length >= 4 &&
              words.some((word) => labelWord.startsWith(word.slice(0, Math.max(4, word.length - 2)))),
          ),
    ),
  );
  const chosen = single(loose);
  return 'id' in chosen ? { ok: true, value: chosen.id } : chosen;
}

function parseNumber(text: string): ParsedAnswer {
  const budget = extractBudget(text);
  if (budget) return { ok: true, value: budget.amount };
  const quantities = extractQuantities(text);
  if (quantities.length === 1) return { ok: true, value: quantities[0]!.value };
  const numbers = single(extractNumbers(text));
  return typeof numbers === 'number' ? { ok: true, value: numbers } : numbers;
}

function parseDate(text: string, options: z.output<typeof parseAnswerOptionsSchema>): ParsedAnswer {
  const when = extractWhen(text, options.locale ?? detectLanguage(text), options, { dateAsked: true });
  if (!when) return fail('not-found');
  const today = DateTime.fromJSDate(options.now, { zone: options.timeZone }).toISODate() ?? '';
  if (when.date < today || (when.time && new Date(when.at) < options.now)) return fail('past');
  return { ok: true, value: when.time ? when.at : when.date };
}

function parseName(text: string): ParsedAnswer {
  const named = extractName(text);
  if (named) return { ok: true, value: named };
  // A bare answer to "как вас зовут?": one or two words of letters.
  const words = text.trim().split(/\s+/);
  if (words.length > 3 || !words.every((word) => /^\p{L}[\p{L}'-]*$/u.test(word))) return fail('not-found');
  return {
    ok: true,
    value: words
      .map((word) => word.charAt(0).toLocaleUpperCase('ru') + word.slice(1).toLocaleLowerCase('ru'))
      .join(' '),
  };
}

/**
 * Reads a client's answer to one question of the flow's `ask` step as the type asked for.
 * Pure: the clock and zone come in, so "завтра" means the same in tests and in production.
 */
export function parseAnswer(type: AnswerType, text: string, rawOptions: ParseAnswerOptions): ParsedAnswer {
  const options = parseAnswerOptionsSchema.parse(rawOptions);
  const trimmed = text.trim();
  if (!trimmed && !(type === 'choice' && options.buttonId)) return fail('empty');
  switch (type) {
    case 'phone': {
      const phone = single(extractPhones(trimmed));
      return typeof phone === 'string' ? { ok: true, value: phone } : phone;
    }
    case 'email': {
      const email = single(extractEmails(trimmed));
      return typeof email === 'string' ? { ok: true, value: email } : email;
    }
    case 'number':
      return parseNumber(trimmed);
    case 'choice':
      return parseChoice(trimmed, options);
    case 'date':
      return parseDate(trimmed, options);
    case 'text':
      return { ok: true, value: trimmed };
    case 'name':
      return parseName(trimmed);
  }
}
