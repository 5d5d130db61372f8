/** A word being typed after a trigger character: `@` starts a mention, `/` a canned response. */
export interface ComposerToken {
  /** Where the trigger character stands in the text. */
  start: number;
  /** What follows the trigger up to the caret, as typed. */
  query: string;
}

const WORD = /[\p{L}\p{N}._-]*$/u;

/**
 * The token the caret is in: the trigger at the start of the text or after a space, then word
 * characters up to the caret. `a/b` or an e-mail's `@` never open a popup.
 */
export function tokenAt(text: string, caret: number, trigger: '@' | '/'): ComposerToken | undefined {
  const before = text.slice(0, caret);
  const query = WORD.exec(before)?.[0] ?? '';
  const start = before.length - query.length - 1;
  if (start < 0 || before[start] !== trigger) return undefined;
  if (start > 0 && !/\s/u.test(before[start - 1] ?? '')) return undefined;
  return { start, query };
}

/** The text with the token (trigger and query) replaced, and where the caret goes after it. */
export function replaceToken(
  text: string,
  token: ComposerToken,
  caret: number,
  replacement: string,
): { text: string; caret: number } {
  const next = text.slice(0, token.start) + replacement + text.slice(caret);
  return { text: next, caret: token.start + replacement.length };
}
