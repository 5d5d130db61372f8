/**
 * A text the server gives in both languages, `Русский / English` (a static list's row reasons),
 * in the user's one; any other text as it came.
 */
export function localText(text: string, locale: 'ru' | 'en'): string {
  const parts = text.split(' / ');
  if (parts.length !== 2 || !/[а-яё]/i.test(parts[0] ?? '')) return text;
  return (locale === 'ru' ? parts[0] : parts[1]) ?? text;
}
