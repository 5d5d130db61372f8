/**
 * Every string a person sees in the inbox, in Russian (the source of truth) and English, plus the
 * current locale. Each area keeps its messages in `messages/<area>.ts`; this file joins them. The
 * file carries `.svelte.ts` because Svelte compiles runes only in such modules.
 */
import { conversationEn, conversationRu } from './messages/conversation';
import { coreEn, coreRu } from './messages/core';
import { crmEn, crmRu } from './messages/crm';
import { inboxEn, inboxRu } from './messages/inbox';
import { frameEn, frameRu } from './messages/frame';
import { searchEn, searchRu } from './messages/search';
import { listEn, listRu } from './messages/list';
import { tasksEn, tasksRu } from './messages/tasks';
import { contactsEn, contactsRu } from './messages/contacts';
import { settingsEn, settingsRu } from './messages/settings';
import { flowsEn, flowsRu } from './messages/flows';
import { historyEn, historyRu } from './messages/history';
import { errorsEn, errorsRu } from './messages/errors';
import { segmentsEn, segmentsRu } from './messages/segments';
import { campaignsEn, campaignsRu } from './messages/campaigns';
import { reportsEn, reportsRu } from './messages/reports';
import { setHeaderLanguage } from './language-header';

const ru = {
  ...coreRu,
  ...crmRu,
  ...conversationRu,
  ...inboxRu,
  ...listRu,
  ...tasksRu,
  ...contactsRu,
  ...settingsRu,
  ...frameRu,
  ...searchRu,
  ...flowsRu,
  ...historyRu,
  ...errorsRu,
  ...segmentsRu,
  ...campaignsRu,
  ...reportsRu,
} as const;

export type MessageKey = keyof typeof ru;

/** Exactly the keys of `ru`: a missing or an extra key is a type error in the area's file. */
const en: Record<MessageKey, string> = {
  ...coreEn,
  ...crmEn,
  ...conversationEn,
  ...inboxEn,
  ...listEn,
  ...tasksEn,
  ...contactsEn,
  ...settingsEn,
  ...frameEn,
  ...searchEn,
  ...flowsEn,
  ...historyEn,
  ...errorsEn,
  ...segmentsEn,
  ...campaignsEn,
  ...reportsEn,
};

export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Language names are shown in their own language, whatever the current locale. */
export const LOCALE_NAMES: Record<Locale, { name: string; short: string }> = {
  ru: { name: 'Русский', short: 'RU' },
  en: { name: 'English', short: 'EN' },
};

const dictionaries: Record<Locale, Record<MessageKey, string>> = { ru, en };

/** The names of a message's `{placeholders}`, so `t` demands exactly the parameters it needs. */
type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;
type Params<K extends MessageKey> = K extends MessageKey
  ? [Placeholders<(typeof ru)[K]>] extends [never]
    ? []
    : [params: Record<Placeholders<(typeof ru)[K]>, string | number>]
  : never;

const STORAGE_KEY = 'funnel-inbox.locale';

function isLocale(value: unknown): value is Locale {
  return LOCALES.some((locale) => locale === value);
}

function storedLocale(): Locale {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : 'ru';
  } catch {
    // Storage can be switched off in the browser's privacy settings; Russian is the default then.
    return 'ru';
  }
}

const initial = storedLocale();
let current = $state<Locale>(initial);
document.documentElement.lang = initial;
setHeaderLanguage(initial);

export function getLocale(): Locale {
  return current;
}

export function setLocale(locale: Locale): void {
  current = locale;
  document.documentElement.lang = locale;
  setHeaderLanguage(locale);
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Without storage the choice lasts until the page is reloaded, which is still usable.
  }
}

export function t<K extends MessageKey>(key: K, ...[params]: Params<K>): string {
  return translate(key, params);
}

/** `t` for a key chosen at run time (an error's wording), whose parameters are checked by its maker. */
export function translate(key: MessageKey, params?: Record<string, string | number>): string {
  const text = dictionaries[current][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (placeholder, name: string) => String(params[name] ?? placeholder));
}
