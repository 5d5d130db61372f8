/** The variables a canned response may use, e.g. "Здравствуйте, {{contact.name}}!". */
export interface CannedVariables {
  contact: { name: string; phone: string; email: string };
  agent: { name: string; email: string };
}

const VARIABLE = /\{\{\s*(contact|agent)\.(name|phone|email)\s*\}\}/g;

/** Fills in the known variables; an unknown one is left as typed, so the operator sees it. */
export function renderCannedResponse(text: string, variables: CannedVariables): string {
  return text.replace(VARIABLE, (whole, owner: 'contact' | 'agent', field: string) => {
    const values: Record<string, string> = variables[owner];
    return values[field] ?? whole;
  });
}
