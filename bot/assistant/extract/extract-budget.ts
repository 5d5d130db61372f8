import type { Budget } from './extraction-schema.js';
import { NUMBER_WORD_SOURCE, readNumber } from './number-words.js';

const FIGURES = String.raw`\d{1,3}(?:[\s\u00a0]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?`;
const CEILING = String.raw`до|не\s+более|не\s+больше|максимум|в\s+пределах|up\s+to|under|below|max(?:imum)?|within|no\s+more\s+than`;
const AROUND = String.raw`около|примерно|порядка|где-то|бюджет(?:ом|а)?(?:\s+(?:на|в|есть|примерно|около))?|budget(?:\s+is)?|around|about|за`;
const MULTIPLIER = String.raw`млрд|миллиард[\p{L}]*|млн|миллион[\p{L}]*|лям[\p{L}]*|тыс[\p{L}]*\.?|тр\b|т\.р\.?|к(?![\p{L}])|k(?![\p{L}])|m(?![\p{L}])|mln|million|thousand|bn|billion`;
const CURRENCY = String.raw`руб[\p{L}]*\.?|р\.|₽|\$|€|usd|долл[\p{L}]*|бакс[\p{L}]*|евро|eur|dollars?|rub(?:les)?`;

const BUDGET = new RegExp(
  `(?:(${AROUND})\\s*)?(?:(${CEILING})\\s*)?(\\$|€|₽)?\\s*(?<![\\p{L}\\d])(${FIGURES}|(?:${NUMBER_WORD_SOURCE})(?!\\p{L}))\\s*(${MULTIPLIER})?\\s*(${CURRENCY})?`,
  'giu',
);

function multiplierOf(word: string): number {
  const lower = word.toLocaleLowerCase('ru');
  if (/^(?:млрд|миллиард|bn|billion)/u.test(lower)) return 1e9;
  if (/^(?:млн|миллион|лям|m$|mln|million)/u.test(lower)) return 1e6;
  if (/^(?:тыс|тр|т\.р|к$|k$|thousand)/u.test(lower)) return 1e3;
  return 1;
}

function currencyOf(symbol: string): Budget['currency'] {
  const lower = symbol.toLocaleLowerCase('ru');
  if (/^(?:\$|usd|долл|бакс|dollar)/u.test(lower)) return 'USD';
  if (/^(?:€|eur|евро)/u.test(lower)) return 'EUR';
  return 'RUB';
}

/**
 * The budget: an amount with a money signal (a multiplier "млн"/"тыс"/"k", a currency, or the word
 * "бюджет"), so "3 окна" is never read as money. "до 5 млн" is a ceiling; "от 3 до 5 млн" gives the
 * ceiling with its multiplier.
 */
export function extractBudget(text: string): Budget | undefined {
  for (const match of text.matchAll(BUDGET)) {
    const [, around, ceiling, before, figure, multiplier, after] = match;
    const value = readNumber(figure ?? '');
    const saysBudget = around !== undefined && /бюджет|budget/iu.test(around);
    if (value === undefined || value <= 0 || !(multiplier || before || after || saysBudget)) continue;
    const amount = Math.round(value * multiplierOf(multiplier ?? ''));
    // Without a multiplier or currency, a bare small number after "бюджет" is most likely millions
    // of roubles only when the client says so; below a thousand it is not an amount of money.
    if (amount < 1000 && !multiplier) continue;
    return { amount, currency: currencyOf(before ?? after ?? ''), upTo: ceiling !== undefined };
  }
  return undefined;
}
