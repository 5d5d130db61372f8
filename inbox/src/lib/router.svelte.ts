import { SECTIONS, type Section } from './sections';

/**
 * Hash routing (`#/inbox`, `#/deals`, …): the server's SPA fallback is not needed for it, and the
 * rail's plain links work with the browser's history. An unknown hash shows the first section.
 */
function sectionOf(hash: string): Section {
  const id = hash.replace(/^#\/?/, '');
  return SECTIONS.find((section) => section.id === id) ?? SECTIONS[0];
}

let current = $state(sectionOf(location.hash));
window.addEventListener('hashchange', () => {
  current = sectionOf(location.hash);
});

export const router = {
  get section(): Section {
    return current;
  },
  href(section: Section): string {
    return `#/${section.id}`;
  },
};
