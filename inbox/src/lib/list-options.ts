import { getJson } from './get-json.js';
import type { Page } from './inbox-views.js';

export interface NamedOption {
  id: string;
  name: string;
}

/** What the list's filters offer, and the names its rows show (assignees). */
export interface ListOptions {
  people: NamedOption[];
  teams: NamedOption[];
  labels: string[];
}

/**
 * The people, teams and labels to filter by. Each read may fail alone (a narrow API token, a
 * server being updated): its filter then offers nothing beyond the queues, and the list still works.
 */
export async function loadListOptions(): Promise<ListOptions> {
  const [people, teams, labels] = await Promise.allSettled([
    getJson<Page<NamedOption>>('/api/v1/users?active=true&limit=200'),
    getJson<Page<NamedOption>>('/api/v1/teams?limit=200'),
    getJson<{ items: { label: string }[] }>('/api/v1/conversation-labels'),
  ]);
  const named = (result: PromiseSettledResult<Page<NamedOption>>) =>
    result.status === 'fulfilled' ? result.value.items.map(({ id, name }) => ({ id, name })) : [];
  return {
    people: named(people).sort((a, b) => a.name.localeCompare(b.name)),
    teams: named(teams).sort((a, b) => a.name.localeCompare(b.name)),
    labels: labels.status === 'fulfilled' ? labels.value.items.map((item) => item.label) : [],
  };
}
