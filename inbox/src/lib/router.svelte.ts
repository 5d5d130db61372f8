import { SECTIONS, type Section } from './sections';

/**
 * Hash routing (`#/inbox`, `#/inbox/<conversation id>`, `#/deals`, …): the server's SPA fallback
 * is not needed for it, and the rail's plain links work with the browser's history. An unknown
 * hash shows the first section.
 */
function parse(hash: string): { section: Section; item?: string } {
  const [id, ...rest] = hash.replace(/^#\/?/, '').split('/');
  // A section with places of its own (`#/campaigns/broadcasts/<id>`) reads the whole rest as its item.
  const item = rest.map(decodeURIComponent).join('/');
  const section = SECTIONS.find((candidate) => candidate.id === id) ?? SECTIONS[0];
  return { section, ...(item && section.id === id ? { item } : {}) };
}

let current = $state(parse(location.hash));
window.addEventListener('hashchange', () => {
  current = parse(location.hash);
});

export const router = {
  get section(): Section {
    return current.section;
  },
  /** What is open inside the section, e.g. the conversation of `#/inbox/<id>`. */
  get item(): string | undefined {
    return current.item;
  },
  href(section: Section, item?: string): string {
    return item ? `#/${section.id}/${encodeURIComponent(item)}` : `#/${section.id}`;
  },
  /** Opens an item of the current section, as a history entry (Back returns to the list on phones). */
  open(item: string | undefined): void {
    location.hash = this.href(current.section, item);
  },
};
