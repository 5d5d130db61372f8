import { isReportId, type ReportId } from './report-views.js';

/** The filters a report takes, as the address and the API's query both carry them. */
export interface ReportFilters {
  /** Inclusive days, `YYYY-MM-DD`, in the user's time zone; absent: the server's last 30 days. */
  from?: string;
  to?: string;
  pipelineId?: string;
  teamId?: string;
  operatorId?: string;
  channel?: string;
  source?: string;
}

/** Where the Reports section is: `#/reports/<report>?from=…&to=…&…`. */
export interface ReportRoute {
  /** Absent when the address names none (or one this build does not know): the first tab opens. */
  report?: ReportId;
  filters: ReportFilters;
}

/** The query keys, in the order the address writes them. */
export const FILTER_KEYS = ['from', 'to', 'pipelineId', 'teamId', 'operatorId', 'channel', 'source'] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function isDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** The filters of a query string; a malformed day is left out rather than sent to be refused. */
export function parseFilters(query: string): ReportFilters {
  const params = new URLSearchParams(query);
  const filters: ReportFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key)?.trim();
    if (!value) continue;
    if ((key === 'from' || key === 'to') && !isDay(value)) continue;
    filters[key] = value;
  }
  return filters;
}

/** The filters as a query string (`from=…&to=…`), empty ones left out; the API takes the same. */
export function filtersQuery(filters: ReportFilters): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params.toString();
}

/**
 * Reads the route from the raw hash. The app's router hands sections their item already decoded,
 * which would turn a source such as «A%26B» into two query parameters; the raw hash keeps it whole.
 */
export function reportRoute(hash: string): ReportRoute {
  const path = hash.replace(/^#\/?/, '');
  const [place = '', query = ''] = path.split(/\?(.*)/s);
  const [section, id] = place.split('/');
  if (section !== 'reports') return { filters: {} };
  const report = decodeURIComponent(id ?? '');
  return { ...(isReportId(report) ? { report } : {}), filters: parseFilters(query) };
}

/** The address of a report with its filters: what a tab links to and what "Copy link" shares. */
export function reportHref(route: ReportRoute): string {
  const query = filtersQuery(route.filters);
  const place = route.report ? `#/reports/${route.report}` : '#/reports';
  return query ? `${place}?${query}` : place;
}
