let language: string | undefined;

/** Set by i18n.svelte.ts with every change of language; this file stays free of runes, for the tests of send-json.ts. */
export function setHeaderLanguage(locale: string): void {
  language = locale;
}

/**
 * The header that asks the API to word its validation messages in the inbox's language rather
 * than in the browser's own (server/api/request-language.ts).
 */
export function languageHeader(): Record<string, string> {
  return language ? { 'accept-language': language } : {};
}

/** The language the API worded an answer's messages in (its Content-Language); undefined before it said. */
export function answerLanguage(headers: Headers): 'ru' | 'en' | undefined {
  const said = headers.get('content-language');
  return said === 'ru' || said === 'en' ? said : undefined;
}
