import { getJson } from '../get-json.js';
import type { Page } from '../inbox-views.js';
import type { NamedOption } from '../list-options.js';
import type { ReportTable } from './report-views.js';

/** What the filter bar offers besides the channels, which this build knows itself. */
export interface ReportOptions {
  pipelines: NamedOption[];
  teams: NamedOption[];
  operators: NamedOption[];
}

/**
 * The pipelines, teams and people to filter by; every role may read these lists (pipelines.read,
 * users.read). Each read may fail alone: its picker then offers only "all", and the report still works.
 */
export async function loadReportOptions(): Promise<ReportOptions> {
  const [pipelines, teams, people] = await Promise.allSettled([
    getJson<{ items: NamedOption[] }>('/api/v1/pipelines'),
    getJson<Page<NamedOption>>('/api/v1/teams?limit=200'),
    getJson<Page<NamedOption & { role: string }>>('/api/v1/users?active=true&limit=200'),
  ]);
  const named = (result: PromiseSettledResult<{ items: NamedOption[] }>) =>
    result.status === 'fulfilled'
      ? result.value.items.map(({ id, name }) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name))
      : [];
  // Marketers answer no conversations and own no deals: they are no one's "operator" in a report.
  const operators: PromiseSettledResult<{ items: NamedOption[] }> =
    people.status === 'fulfilled'
      ? { status: 'fulfilled', value: { items: people.value.items.filter((user) => user.role !== 'marketer') } }
      : people;
  return { pipelines: named(pipelines), teams: named(teams), operators: named(operators) };
}

/** The row of deals with no source («—»): nothing a filter could ask for. */
const NOT_SET = '—';

/**
 * The sources a table names (the sources report's first column, `source`): the source picker
 * offers the ones the workspace has, as the report found them.
 */
export function sourcesIn(table: ReportTable): string[] {
  if (!table.columns.some((column) => column.key === 'source')) return [];
  const found = table.rows
    .map((row) => row.source)
    .filter((value): value is string => typeof value === 'string' && value !== '' && value !== NOT_SET);
  return [...new Set(found)];
}
