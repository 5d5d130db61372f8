const EMAIL = /[\p{L}\d._%+-]+@[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.\p{L}{2,}/gu;

/** E-mail addresses in the text, lower-cased, without repeats. */
export function extractEmails(text: string): string[] {
  return [...new Set([...text.matchAll(EMAIL)].map((match) => match[0].toLowerCase()))];
}
