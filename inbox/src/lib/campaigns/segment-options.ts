import type { TeamItem } from '../crm-views';
import type { CustomFieldDefinition } from '../crm/contact-form';
import type { Pipeline } from '../crm/deal-views';
import { getJson } from '../get-json';
import type { Page } from '../inbox-views';
import { loadUsers } from '../load-users';

export interface NamedOption {
  id: string;
  name: string;
}

/** What the builder's pickers offer: owners, teams, companies, pipelines with stages, contact fields. */
export interface SegmentOptions {
  users: NamedOption[];
  teams: NamedOption[];
  companies: NamedOption[];
  pipelines: Pipeline[];
  customFields: CustomFieldDefinition[];
}

/**
 * Reads the pickers' lists from the APIs every section uses. A list the user's role may not read
 * comes back empty rather than failing the builder: the picker is simply empty then.
 */
export async function loadSegmentOptions(): Promise<SegmentOptions> {
  const named = (items: { id: string; name: string }[]) => items.map(({ id, name }) => ({ id, name }));
  const [users, teams, companies, pipelines, customFields] = await Promise.all([
    loadUsers()
      .then((items) => named(items.filter((user) => user.active)))
      .catch(() => []),
    getJson<Page<TeamItem>>('/api/v1/teams?limit=200')
      .then((page) => named(page.items))
      .catch(() => []),
    getJson<Page<NamedOption>>('/api/v1/companies?limit=200')
      .then((page) => named(page.items))
      .catch(() => []),
    getJson<{ items: Pipeline[] }>('/api/v1/pipelines')
      .then((answer) => answer.items)
      .catch(() => []),
    getJson<{ items: CustomFieldDefinition[] }>('/api/v1/custom-fields?entity=contact')
      .then((answer) => answer.items)
      .catch(() => []),
  ]);
  return { users, teams, companies, pipelines, customFields };
}
