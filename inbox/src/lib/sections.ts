import type { MessageKey } from './i18n.svelte';
import type { IconName } from './icons';

export type SectionId = 'inbox' | 'contacts' | 'deals' | 'tasks' | 'settings';

export interface Section {
  id: SectionId;
  icon: IconName;
  label: MessageKey;
  about: MessageKey;
}

/** The app frame's sections, in the order of the rail. */
export const SECTIONS: readonly [Section, ...Section[]] = [
  { id: 'inbox', icon: 'inbox', label: 'nav.inbox', about: 'section.inbox.about' },
  { id: 'contacts', icon: 'contacts', label: 'nav.contacts', about: 'section.contacts.about' },
  { id: 'deals', icon: 'deals', label: 'nav.deals', about: 'section.deals.about' },
  { id: 'tasks', icon: 'tasks', label: 'nav.tasks', about: 'section.tasks.about' },
  { id: 'settings', icon: 'settings', label: 'nav.settings', about: 'section.settings.about' },
];
