import type { Locale } from '../../visitor-payloads.js';

/** The page's own language first (the site chose it), then the browser's; Russian when neither is ru or en. */
export function pickLocale(): Locale {
  for (const tag of [document.documentElement.lang, navigator.language]) {
    const language = tag?.toLowerCase().slice(0, 2);
    if (language === 'ru' || language === 'en') return language;
  }
  return 'ru';
}
