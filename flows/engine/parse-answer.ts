import { z } from 'zod';
import type { AnswerType, Button } from '../schema/message-step-schemas.js';
import type { LocalizedText } from '../schema/primitive-schemas.js';

export const parsedAnswerSchema = z.union([
  z.strictObject({ ok: z.literal(true), value: z.union([z.string(), z.number()]) }),
  z.strictObject({ ok: z.literal(false) }),
]);
export type ParsedAnswer = z.infer<typeof parsedAnswerSchema>;

export interface AnswerInput {
  text: string;
  buttonId?: string;
}

/** What an answer parser gets besides the text: the step's buttons, the language, today in the flow's zone. */
export interface AnswerContext {
  buttonId?: string;
  buttons: readonly Button[];
  locale: 'ru' | 'en';
  /** YYYY-MM-DD in the flow's time zone, for "завтра" and dates without a year. */
  today: string;
  /** Where the answer goes (`deal.fields.budget`): tells a number of windows from a budget. */
  saveTo?: string;
  /** The flow's time zone, for parsers that read times of day ("after lunch"). */
  timeZone?: string;
}

/** One of the flow's ask steps still without an answer, as findAnswers gets it. */
export interface OpenQuestion {
  stepId: string;
  answer: AnswerType;
  saveTo: string;
  question: LocalizedText;
  buttons: readonly Button[];
}

/**
 * Reads a client's answer to an ask step. The executor calls it for the run waiting on the step
 * and hands the result to the engine with the message, so a parser may be asynchronous (a
 * language model, the bot's extractors); the engine stays pure and a replay uses the stored result.
 * Values: phones +digits, e-mails lower case, numbers as numbers, dates YYYY-MM-DD, a choice's id.
 */
export interface AnswerParser {
  parseAnswer(type: AnswerType, text: string, context: AnswerContext): ParsedAnswer | Promise<ParsedAnswer>;
  /**
   * Optional: the answers to the flow's other open questions that one message already gives
   * ("8 окон, Ленина 5, Иван +7 912…"), by step id. The engine saves them, and the ask steps they
   * answer are not asked (`skipIfAnswered`).
   */
  findAnswers?(
    text: string,
    questions: readonly OpenQuestion[],
    context: Omit<AnswerContext, 'buttons' | 'buttonId' | 'saveTo'>,
  ): Record<string, string | number> | Promise<Record<string, string | number>>;
}

/** The built-in rules below, behind the AnswerParser interface. */
export const defaultAnswerParser: AnswerParser = {
  parseAnswer: (type, text, context) =>
    parseAnswer(type, { text, buttonId: context.buttonId }, context.buttons, context.today),
};

/**
 * Reads a client's answer as the type asked for. Phones become +digits (a Russian 8… or bare
 * ten-digit number gets +7), e-mails lower case, numbers accept spaces, a decimal comma and
 * "тыс"/"млн"/k/m, dates become YYYY-MM-DD (DD.MM.YYYY, DD.MM, ISO, сегодня/завтра).
 */
export function parseAnswer(
  type: AnswerType,
  input: AnswerInput,
  buttons: readonly Button[],
  today: string,
): ParsedAnswer {
  const text = input.text.trim();
  switch (type) {
    case 'choice':
      return parseChoice(input, buttons);
    case 'phone':
      return parsePhone(text);
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(text) ? { ok: true, value: text.toLowerCase() } : { ok: false };
    case 'number':
      return parseNumber(text);
    case 'date':
      return parseDate(text, today);
    case 'text':
      return text ? { ok: true, value: text } : { ok: false };
    case 'name':
      return parseName(text);
  }
}

/** A name is one to three words of letters ("Иван", "Анна Петровна"); anything longer is not a name. */
function parseName(text: string): ParsedAnswer {
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 3 || !words.every((word) => /^\p{L}[\p{L}'-]*$/u.test(word)))
    return { ok: false };
  return { ok: true, value: words.join(' ') };
}

function parseChoice(input: AnswerInput, buttons: readonly Button[]): ParsedAnswer {
  const choices = buttons.filter((button) => button.id);
  const text = input.text.trim().toLocaleLowerCase('ru');
  const byNumber = /^\d+$/.test(text) ? choices[Number(text) - 1] : undefined;
  const chosen =
    choices.find((button) => button.id === input.buttonId) ??
    choices.find((button) =>
      [button.text.ru, button.text.en].some((label) => label?.toLocaleLowerCase('ru') === text),
    ) ??
    byNumber;
  return chosen?.id ? { ok: true, value: chosen.id } : { ok: false };
}

function parsePhone(text: string): ParsedAnswer {
  if (!/^[+\d\s().-]+$/.test(text)) return { ok: false };
  let digits = text.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('8') && !text.startsWith('+')) digits = `7${digits.slice(1)}`;
  if (digits.length === 10 && digits.startsWith('9') && !text.startsWith('+')) digits = `7${digits}`;
  return digits.length >= 10 && digits.length <= 15 ? { ok: true, value: `+${digits}` } : { ok: false };
}

const MULTIPLIERS: Record<string, number> = { k: 1e3, к: 1e3, тыс: 1e3, m: 1e6, м: 1e6, млн: 1e6 };

/** One number in the text ("4 окна", "около 1,5 млн"); two numbers are ambiguous and do not count. */
function parseNumber(text: string): ParsedAnswer {
  const pattern = /(-?\d{1,3}(?:[\s\u00a0]\d{3})+|-?\d+)(?:[.,](\d+))?\s*(тыс|млн|k|к|m|м)?(?![\p{L}\d])/giu;
  const matches = [...text.matchAll(pattern)];
  const [match] = matches;
  if (matches.length !== 1 || !match?.[1]) return { ok: false };
  const value = Number(`${match[1].replace(/[\s\u00a0]/g, '')}.${match[2] ?? '0'}`);
  if (!Number.isFinite(value)) return { ok: false };
  const multiplier = MULTIPLIERS[(match[3] ?? '').toLowerCase()] ?? 1;
  return { ok: true, value: value * multiplier };
}

function parseDate(text: string, today: string): ParsedAnswer {
  const lower = text.toLocaleLowerCase('ru');
  const [year = 0, month = 1, day = 1] = today.split('-').map(Number);
  if (['сегодня', 'today'].includes(lower)) return { ok: true, value: today };
  if (['завтра', 'tomorrow'].includes(lower)) return { ok: true, value: isoDate(year, month, day + 1) };
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (iso) return validDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dotted = /^(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?$/.exec(text);
  if (!dotted) return { ok: false };
  const d = Number(dotted[1]);
  const m = Number(dotted[2]);
  if (dotted[3]) return validDate(dotted[3].length === 2 ? 2000 + Number(dotted[3]) : Number(dotted[3]), m, d);
  // Without a year: the next such date, this year or the next.
  const thisYear = validDate(year, m, d);
  if (thisYear.ok && String(thisYear.value) >= today) return thisYear;
  return validDate(year + 1, m, d);
}

function validDate(year: number, month: number, day: number): ParsedAnswer {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return { ok: false };
  return { ok: true, value: isoDate(year, month, day) };
}

function isoDate(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}
