import { SvelteMap } from 'svelte/reactivity';
import { getJson } from './get-json';
import type { ContactView } from './inbox-views';

/**
 * Contact cards by id for the session: the list's names and the card beside a conversation.
 * Each card is read once (the API counts card reads against the user's hourly read limit).
 */
const cards = new SvelteMap<string, ContactView | null>();
const reading = new Set<string>();

export const contacts = {
  /** The card, `null` when it cannot be read, `undefined` while it is on its way. */
  get(id: string): ContactView | null | undefined {
    return cards.get(id);
  },
  load(id: string): void {
    if (cards.has(id) || reading.has(id)) return;
    reading.add(id);
    getJson<ContactView>(`/api/v1/contacts/${encodeURIComponent(id)}`)
      .then((card) => cards.set(id, card))
      .catch(() => cards.set(id, null))
      .finally(() => reading.delete(id));
  },
  /** The card as a change answered it, so every view of the contact shows the new version. */
  set(card: ContactView): void {
    cards.set(card.id, card);
  },
};

/** What a contact is called on screen: the name, else a phone or an e-mail; undefined when none is known. */
export function contactLabel(contact: ContactView | null | undefined): string | undefined {
  return contact?.name || contact?.phones[0]?.raw || contact?.emails[0] || undefined;
}
