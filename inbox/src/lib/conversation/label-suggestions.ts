/** A label in use, as `GET /conversation-labels` counts it. */
export interface LabelCount {
  label: string;
  count: number;
}

/** A label as the server stores it: trimmed and lower-cased; empty or over 50 characters is no label. */
export function normalizeLabel(input: string): string | undefined {
  const label = input.trim().toLocaleLowerCase();
  return label.length > 0 && label.length <= 50 ? label : undefined;
}

/** Labels in use that the conversation lacks and that contain what was typed, the most used first. */
export function labelSuggestions(
  known: readonly LabelCount[],
  current: readonly string[],
  typed: string,
  limit = 8,
): string[] {
  const wanted = typed.trim().toLocaleLowerCase();
  return known
    .filter((entry) => !current.includes(entry.label) && entry.label.includes(wanted))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
    .slice(0, limit)
    .map((entry) => entry.label);
}
