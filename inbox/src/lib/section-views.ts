import type { Component } from 'svelte';
import type { Socket } from 'socket.io-client';
import InboxSection from '../components/InboxSection.svelte';
import type { SectionId } from './sections';
import type { User } from './sign-in';

/** What the app frame hands every section's view. */
export interface SectionProps {
  user: User;
  socket?: Socket;
  csrfToken?: string;
}

type SectionView = () => Promise<{ default: Component<SectionProps> }>;

/**
 * The view of each section. The inbox is the first screen and ships in the main bundle; every
 * other section is its own chunk, loaded when first opened, so the first screen stays small. A
 * section without a view shows the "coming soon" page.
 */
export const SECTION_VIEWS: Partial<Record<SectionId, SectionView>> = {
  inbox: () => Promise.resolve({ default: InboxSection }),
  search: () => import('../components/search/SearchSection.svelte'),
  deals: () => import('../components/deals/DealsSection.svelte'),
  tasks: () => import('../components/tasks/TasksSection.svelte'),
  contacts: () => import('../components/contacts/ContactsSection.svelte'),
  settings: () => import('../components/settings/SettingsSection.svelte'),
  flows: () => import('../components/flows/FlowsSection.svelte'),
  campaigns: () => import('../components/campaigns/CampaignsSection.svelte'),
  reports: () => import('../components/reports/ReportsSection.svelte'),
};
