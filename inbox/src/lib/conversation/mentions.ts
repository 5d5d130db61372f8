/** Someone who may be @mentioned in a note. */
export interface Mentionable {
  id: string;
  name: string;
  email?: string;
}

/** People whose name (any word of it) or e-mail starts with what follows the `@`; at most `limit`. */
export function mentionCandidates<T extends Mentionable>(people: readonly T[], query: string, limit = 6): T[] {
  const wanted = query.trim().toLocaleLowerCase();
  const matches = (person: T) =>
    wanted === '' ||
    person.name
      .toLocaleLowerCase()
      .split(/\s+/)
      .some((word) => word.startsWith(wanted)) ||
    Boolean(person.email?.toLocaleLowerCase().startsWith(wanted));
  return people.filter(matches).slice(0, limit);
}

/** How a picked person stands in the note's text. */
export function mentionText(person: Mentionable): string {
  return `@${person.name}`;
}

/**
 * The ids of the picked people still mentioned in the text: a mention the operator deleted
 * again notifies nobody. Each id once.
 */
export function mentionedUserIds(text: string, picked: readonly Mentionable[]): string[] {
  return [...new Set(picked.filter((person) => text.includes(mentionText(person))).map((person) => person.id))];
}
