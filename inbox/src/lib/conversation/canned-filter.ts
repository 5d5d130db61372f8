/** A canned response as `GET /canned-responses` lists it. */
export interface CannedResponse {
  id: string;
  shortcut: string;
  text: { ru?: string; en?: string };
  visibility: 'personal' | 'team' | 'everyone';
}

/** The response's text to preview in the given language, else the other one. */
export function cannedPreview(response: CannedResponse, locale: 'ru' | 'en'): string {
  return response.text[locale] ?? response.text.ru ?? response.text.en ?? '';
}

/**
 * The responses for what follows the `/`: shortcuts starting with it first, then shortcuts
 * containing it, then texts containing it; alphabetical within each; at most `limit`.
 */
export function filterCanned(
  responses: readonly CannedResponse[],
  query: string,
  locale: 'ru' | 'en',
  limit = 8,
): CannedResponse[] {
  const wanted = query.trim().toLocaleLowerCase();
  const rank = (response: CannedResponse): number => {
    const shortcut = response.shortcut.toLocaleLowerCase();
    if (shortcut.startsWith(wanted)) return 0;
    if (shortcut.includes(wanted)) return 1;
    return cannedPreview(response, locale).toLocaleLowerCase().includes(wanted) ? 2 : -1;
  };
  return responses
    .map((response) => ({ response, rank: rank(response) }))
    .filter((entry) => entry.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.response.shortcut.localeCompare(b.response.shortcut))
    .slice(0, limit)
    .map((entry) => entry.response);
}
