/**
 * ru or en by which alphabet dominates the letters; ties and texts without letters (a phone
 * number alone) keep the fallback, usually what the contact wrote before.
 */
export function detectLanguage(text: string, fallback: 'ru' | 'en' = 'ru'): 'ru' | 'en' {
  const cyrillic = text.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  if (cyrillic === latin) return fallback;
  return cyrillic > latin ? 'ru' : 'en';
}
