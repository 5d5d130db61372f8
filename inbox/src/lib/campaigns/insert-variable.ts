/** The personalisation variables the composer offers; the server fills them in per recipient. */
export const VARIABLES = [
  'contact.name',
  'contact.firstName',
  'contact.region',
  'contact.email',
  'contact.phone',
] as const;
export type Variable = (typeof VARIABLES)[number];

/** `{{contact.name | default: "друг"}}`: the fallback is what a recipient without the value reads. */
export function variableSnippet(variable: Variable, fallback: string): string {
  const cleaned = fallback.replace(/["{}]/g, '').trim();
  return cleaned ? `{{${variable} | default: "${cleaned}"}}` : `{{${variable}}}`;
}

/**
 * Puts `snippet` into a text field where its caret (or selection) is, as typing would: the field's
 * `input` event tells a bound form value, and the caret lands after the snippet.
 */
export function insertIntoField(field: HTMLInputElement | HTMLTextAreaElement, snippet: string): void {
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  field.value = field.value.slice(0, start) + snippet + field.value.slice(end);
  field.dispatchEvent(new Event('input', { bubbles: true }));
  field.focus();
  const caret = start + snippet.length;
  field.setSelectionRange(caret, caret);
}
