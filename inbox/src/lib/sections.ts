import type { MessageKey } from './i18n.svelte';
import type { IconName } from './icons';
import type { User } from './sign-in';

export type SectionId =
  'inbox' | 'contacts' | 'deals' | 'tasks' | 'search' | 'campaigns' | 'reports' | 'flows' | 'settings';

export interface Section {
  id: SectionId;
  icon: IconName;
  label: MessageKey;
  about: MessageKey;
  /** Who sees the section in the rail; everyone when absent. The server checks every request anyway. */
  roles?: readonly User['role'][];
}

/** The app frame's sections, in the order of the rail. */
export const SECTIONS: readonly [Section, ...Section[]] = [
  { id: 'inbox', icon: 'inbox', label: 'nav.inbox', about: 'section.inbox.about' },
  { id: 'contacts', icon: 'contacts', label: 'nav.contacts', about: 'section.contacts.about' },
  { id: 'deals', icon: 'deals', label: 'nav.deals', about: 'section.deals.about' },
  { id: 'tasks', icon: 'tasks', label: 'nav.tasks', about: 'section.tasks.about' },
  { id: 'search', icon: 'search', label: 'nav.search', about: 'section.search.about' },
  {
    id: 'campaigns',
    icon: 'campaigns',
    label: 'nav.campaigns',
    about: 'section.campaigns.about',
    roles: ['admin', 'manager', 'marketer'],
  },
  // Everyone: the server lists only the reports a role may open, and an operator's figures are their own.
  { id: 'reports', icon: 'reports', label: 'nav.reports', about: 'section.reports.about' },
  { id: 'flows', icon: 'flows', label: 'nav.flows', about: 'section.flows.about', roles: ['admin', 'manager'] },
  { id: 'settings', icon: 'settings', label: 'nav.settings', about: 'section.settings.about', roles: ['admin'] },
];

export function sectionsFor(user: User): Section[] {
  return SECTIONS.filter((section) => !section.roles || section.roles.includes(user.role));
}
