import type { Document } from 'bson';
import snowball from 'snowball-stemmers';
import { CommandError, ErrorCodes } from '../errors.js';
import { valuesAtPath } from './index-keys.js';

/**
 * Text indexes as MongoDB keeps them: one per collection, over weighted string fields, each
 * word lower-cased, stop words dropped and stemmed (Snowball). Clients of this product mix
 * Russian and English, so Cyrillic words are always stemmed as Russian, and Latin words in a
 * Russian-language index as English.
 */

export const TEXT_INDEX_KEY = { _fts: 'text', _ftsx: 1 };
export const TEXT_SCORE_PATH = '$textScore';

const STOP_WORDS = new Set(
  (
    'a an and are as at be but by for from has have he her his i in is it its of on or our she that the their ' +
    'they this to was we were will with you your ' +
    'и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот ' +
    'от меня еще нет о из ему теперь когда даже ну ли если уже или ни быть был него до вас опять уж вам ведь ' +
    'там потом себя ей может они тут где есть надо ней для мы тебя их чем была сам без чего раз тоже себе под ' +
    'будет ж тогда кто этот того потому этого какой здесь этом один мой тем чтобы нее были куда при об эти нас про них'
  ).split(' '),
);

const stemmers = new Map<string, { stem(word: string): string }>();

function stemmer(language: string): { stem(word: string): string } | undefined {
  if (language === 'none') return undefined;
  let found = stemmers.get(language);
  if (!found) {
    found = snowball.newStemmer(language);
    stemmers.set(language, found);
  }
  return found;
}

export function isSupportedLanguage(language: string): boolean {
  return language === 'none' || snowball.algorithms().includes(language);
}

const CYRILLIC = /[\u0400-\u04ff]/;

export function normalizeTerm(word: string, language: string): string {
  const lower = word.toLowerCase().replace(/ё/g, 'е');
  if (CYRILLIC.test(lower)) return stemmer('russian')!.stem(lower);
  // Latin words in a Russian-language index are English more often than not.
  return stemmer(language === 'russian' ? 'english' : language)?.stem(lower) ?? lower;
}

/** Terms of a text: words, lower-cased, without stop words, stemmed. */
export function tokenize(text: string, language: string): string[] {
  return text
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && !STOP_WORDS.has(w.toLowerCase()))
    .map((w) => normalizeTerm(w, language));
}

export interface TextIndexOptions {
  weights: Record<string, number>;
  language: string;
}

function stringsAt(doc: Record<string, unknown>, path: string): string[] {
  if (path === '$**') return collectStrings(doc);
  return valuesAtPath(doc, path).values.filter((v): v is string => typeof v === 'string');
}

function collectStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(collectStrings);
  if (
    value &&
    typeof value === 'object' &&
    (value as { _bsontype?: string })._bsontype === undefined &&
    !(value instanceof Date)
  ) {
    return Object.values(value).flatMap(collectStrings);
  }
  return [];
}

/**
 * Score per term of a document, MongoDB's formula (fts_spec.cpp): weight × frequency ×
 * (0.5 + 0.5 × occurrences / words in the field), where repeats add 1, 1/2, 1/4, …
 */
export function termScores(doc: Record<string, unknown>, options: TextIndexOptions): Map<string, number> {
  const scores = new Map<string, number>();
  for (const [path, weight] of Object.entries(options.weights)) {
    for (const text of stringsAt(doc, path)) {
      const terms = tokenize(text, options.language);
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, count] of counts) {
        const frequency = 2 - 2 ** (1 - count);
        scores.set(term, (scores.get(term) ?? 0) + weight * frequency * (0.5 + (0.5 * count) / terms.length));
      }
    }
  }
  return scores;
}

/** The document's text for phrase matching, across the indexed fields. */
export function indexedText(doc: Record<string, unknown>, options: TextIndexOptions): string {
  return Object.keys(options.weights)
    .flatMap((path) => stringsAt(doc, path))
    .join('\n')
    .toLowerCase();
}

export interface TextSearch {
  terms: string[];
  negated: string[];
  phrases: string[];
  negatedPhrases: string[];
}

/** Parses `$text: { $search }`: words, "phrases", -negations, as MongoDB does. */
export function parseTextSearch(spec: unknown, language: string): TextSearch {
  const search = (spec as Document | null)?.$search;
  if (typeof search !== 'string') {
    throw new CommandError(ErrorCodes.BadValue, '$text needs a $search string');
  }
  const lang = typeof (spec as Document).$language === 'string' ? ((spec as Document).$language as string) : language;
  const result: TextSearch = { terms: [], negated: [], phrases: [], negatedPhrases: [] };
  const phrasePattern = /(-?)"([^"]*)"/g;
  for (const match of search.matchAll(phrasePattern)) {
    const phrase = match[2]!.toLowerCase().trim();
    if (!phrase) continue;
    (match[1] ? result.negatedPhrases : result.phrases).push(phrase);
    if (!match[1]) result.terms.push(...tokenize(phrase, lang));
  }
  for (const word of search.replace(phrasePattern, ' ').split(/\s+/)) {
    if (!word) continue;
    const negated = word.startsWith('-');
    const terms = tokenize(negated ? word.slice(1) : word, lang);
    (negated ? result.negated : result.terms).push(...terms);
  }
  return result;
}

export function textSpecOptions(input: Document, key: Record<string, unknown>): Document {
  const weights: Record<string, number> = {};
  for (const [path, kind] of Object.entries(key)) {
    if (kind !== 'text') {
      throw new CommandError(
        ErrorCodes.CannotCreateIndex,
        'the embedded store supports text indexes only over text fields',
      );
    }
    weights[path] = 1;
  }
  for (const [path, weight] of Object.entries((input.weights as Record<string, unknown>) ?? {})) {
    const n = Number(weight);
    if (!Number.isInteger(n) || n < 1 || n > 99_999) {
      throw new CommandError(
        ErrorCodes.CannotCreateIndex,
        `text index weight must be in the exclusive interval (0,99999) but found: ${String(weight)}`,
      );
    }
    weights[path] = n;
  }
  const language = (input.default_language as string | undefined) ?? 'english';
  if (!isSupportedLanguage(language)) throw new CommandError(17262, `language override unsupported: ${language}`);
  return {
    weights,
    default_language: language,
    language_override: (input.language_override as string | undefined) ?? 'language',
    textIndexVersion: 3,
  };
}
