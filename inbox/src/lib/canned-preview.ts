/** The variables a canned response may hold (server/canned/render-canned-response.ts). */
export const CANNED_VARIABLES = [
  'contact.name',
  'contact.phone',
  'contact.email',
  'agent.name',
  'agent.email',
] as const;
export type CannedVariable = (typeof CANNED_VARIABLES)[number];

/**
 * A canned response as a client would read it, with sample values for its variables. An unknown
 * variable is left as typed, as the server leaves it, so a typo shows in the preview.
 */
export function cannedPreview(text: string, values: Record<CannedVariable, string>): string {
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (typed, name: string) => {
    const known = CANNED_VARIABLES.find((variable) => variable === name);
    return known ? values[known] : typed;
  });
}
