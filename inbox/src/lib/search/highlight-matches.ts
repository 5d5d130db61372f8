export interface TextPart {
  text: string;
  match: boolean;
}

// The server's stemmed search finds «окна» for «окно»: a word's forms share all but its last
// letters, so a word is compared by its start (short words whole).
function stem(word: string): string {
  return word.length <= 3 ? word : word.slice(0, Math.max(3, word.length - 2));
}

function stemsOf(query: string): string[] {
  const words = query
    .toLowerCase()
    .replace(/(^|\s)-\S+/g, ' ')
    .match(/[\p{L}\p{N}]+/gu);
  return [...new Set((words ?? []).map(stem))];
}

/**
 * Splits a message's text into parts, marking the words that the query found, so a search result
 * shows why it matched. Excluded words (`-word`) are not marked.
 */
export function highlightMatches(text: string, query: string): TextPart[] {
  const stems = stemsOf(query);
  if (stems.length === 0) return [{ text, match: false }];
  const parts: TextPart[] = [];
  for (const piece of text.split(/([\p{L}\p{N}]+)/u)) {
    if (!piece) continue;
    const lower = piece.toLowerCase();
    const match = /[\p{L}\p{N}]/u.test(piece) && stems.some((stem) => lower.startsWith(stem));
    const last = parts.at(-1);
    if (last && last.match === match) last.text += piece;
    else parts.push({ text: piece, match });
  }
  return parts;
}

/** The part of a long text around its first match, so the hit shows it without scrolling. */
export function aroundFirstMatch(parts: TextPart[], radius = 80): TextPart[] {
  const index = parts.findIndex((part) => part.match);
  if (index < 0) return parts;
  const before = parts
    .slice(0, index)
    .map((part) => part.text)
    .join('');
  if (before.length <= radius) return parts;
  return [{ text: `…${before.slice(-radius)}`, match: false }, ...parts.slice(index)];
}
