import type { z } from 'zod';

/**
 * The languages people use the product in. English is what a text says when nobody asked for a
 * language (the API without Accept-Language, the flows CLI).
 */
export type Language = 'ru' | 'en';

/** The names of a text's `{placeholders}`; braces around other things (`{ }`, `{{path}}`) are text. */
type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name extends `${string}${' ' | '{'}${string}` | ''
    ? Placeholders<Rest>
    : Name | Placeholders<Rest>
  : never;

/** What fills a placeholder: the same in both languages, or worded in each (a report's title). */
export type TextValue = string | number | Readonly<Record<Language, string>>;

type Values<S extends string> = Record<Placeholders<S>, TextValue>;
type FixedKey<T extends Record<string, string>> = {
  [K in keyof T]: [Placeholders<T[K]>] extends [never] ? K : never;
}[keyof T];
type MadeKey<T extends Record<string, string>> = Exclude<keyof T, FixedKey<T>>;
type Params<T extends Record<string, string>, K extends keyof T> = [Placeholders<T[K]>] extends [never]
  ? []
  : [values: Values<T[K]>];

/** The texts in one language: a key and its values give the words. */
export type Words<T extends Record<string, string>> = <K extends keyof T & string>(
  key: K,
  ...[values]: Params<T, K>
) => string;

/** What a custom issue (or an API error) carries so that its text can be worded again in another language. */
export type SaidParams = { text: string; values: Record<string, TextValue> };

/** A text made from values: its English words, and what wording it again needs. */
export interface MadeText {
  message: string;
  params: SaidParams;
}

export interface DefinedTexts<T extends Record<string, string>> {
  /** Every text by language as written, `{placeholders}` unfilled: for checks over a whole dictionary. */
  readonly texts: Readonly<Record<Language, Readonly<Record<keyof T & string, string>>>>;
  /** The texts in `language`, their `{placeholders}` filled from the values given. */
  words(language: Language): Words<T>;
  /**
   * A fixed text for a schema (`.refine(check, say('key'))`, `.min(8, say('key'))`,
   * `{ error: say('key') }`): the English one, which `localize` finds again by its words.
   */
  say(key: FixedKey<T> & string): string;
  /** A text made from values, for a custom issue: the English words and what rewording them needs. */
  sayWith<K extends MadeKey<T> & string>(key: K, values: Values<T[K]>): MadeText;
  /** An English text of this dictionary in `language`; any other text as it is. */
  translate(message: string, language: Language): string;
  /**
   * A text of this dictionary in `language`: made again from `said` when it holds this
   * dictionary's values for exactly these English words, else found by its words; any other text
   * as it is (so dictionaries can be tried in turn).
   */
  reword(message: string, said: SaidParams | undefined, language: Language): string;
  /** A finished issue's English text as an error carries it on: with its values when it was made from them. */
  carry(issue: z.core.$ZodIssue): string | MadeText;
  /**
   * A finished issue's message in `language`: a text of this dictionary in that language, zod's
   * own words as they are (the parse already chose their language, see zodErrorMap).
   */
  localize(issue: z.core.$ZodIssue, language: Language): string;
}

const PLACEHOLDER = /\{(\w+)\}/g;

function fill(template: string, language: Language, values: Record<string, TextValue> = {}): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    return typeof value === 'object' ? value[language] : String(value);
  });
}

const isWorded = (value: object): value is Record<Language, string> =>
  'ru' in value && 'en' in value && typeof value.ru === 'string' && typeof value.en === 'string';

const placeholdersOf = (text: string) =>
  [...text.matchAll(PLACEHOLDER)]
    .map((match) => match[1])
    .sort()
    .join(',');

function saidParams(issue: z.core.$ZodIssue): SaidParams | undefined {
  if (issue.code !== 'custom') return undefined;
  const params: unknown = issue.params;
  if (typeof params !== 'object' || params === null || !('text' in params) || !('values' in params)) return undefined;
  const { text, values } = params;
  if (typeof text !== 'string' || typeof values !== 'object' || values === null) return undefined;
  const kept = Object.entries(values).map(([name, value]): [string, TextValue] => [
    name,
    typeof value === 'object' && value !== null && isWorded(value) ? { ru: value.ru, en: value.en } : String(value),
  ]);
  return { text, values: Object.fromEntries(kept) };
}

/**
 * A dictionary of texts people read, in English (the source, also the key a schema names) and
 * Russian, with `{placeholders}` for what a text is about. Schemas keep the English words, so
 * every parse says something sensible; the places that know the reader's language (the API
 * router, the flow validator) word the issues again with `localize`.
 */
export function defineTexts<const T extends Record<string, string>>(
  en: T,
  ru: { readonly [K in keyof T]: string },
): DefinedTexts<T> {
  const dictionaries: Record<Language, Record<string, string>> = { en, ru };
  const keyOfEnglish = new Map<string, string>();
  // Checked once, when the module loads: any test or start that imports the dictionary fails on a slip.
  for (const [key, text] of Object.entries(en)) {
    if (keyOfEnglish.has(text)) throw new Error(`Two texts read "${text}": ${keyOfEnglish.get(text)} and ${key}`);
    if (placeholdersOf(text) !== placeholdersOf(dictionaries.ru[key] ?? ''))
      throw new Error(`The Russian text of ${key} names other placeholders than the English one`);
    keyOfEnglish.set(text, key);
  }
  const word = (language: Language, key: string, values?: Record<string, TextValue>): string =>
    fill(dictionaries[language][key] ?? key, language, values);
  const translate = (message: string, language: Language): string => {
    const key = language === 'en' ? undefined : keyOfEnglish.get(message);
    return key === undefined ? message : word(language, key);
  };
  const isOwn = (said: SaidParams | undefined, message: string): said is SaidParams =>
    said !== undefined && said.text in en && word('en', said.text, said.values) === message;
  return {
    texts: { en, ru },
    words:
      (language) =>
      (key, ...[values]) =>
        word(language, key, values),
    say: (key) => word('en', key),
    sayWith: (key, values) => ({ message: word('en', key, values), params: { text: key, values } }),
    translate,
    reword: (message, said, language) =>
      isOwn(said, message) ? word(language, said.text, said.values) : translate(message, language),
    carry(issue) {
      const said = saidParams(issue);
      return isOwn(said, issue.message) ? { message: issue.message, params: said } : issue.message;
    },
    localize(issue, language) {
      const said = saidParams(issue);
      if (said && said.text in en) return word(language, said.text, said.values);
      return translate(issue.message, language);
    },
  };
}
