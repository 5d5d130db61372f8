import { readJson, type SendResult } from '../send-json.js';
import { filtersQuery, type ReportFilters } from './report-route.js';
import type { ReportId, ReportView } from './report-views.js';

/** The API address of a report with its filters; the export takes the same filters after its format. */
export function reportUrl(report: ReportId, filters: ReportFilters): string {
  const query = filtersQuery(filters);
  return `/api/v1/reports/${report}${query ? `?${query}` : ''}`;
}

export function reportExportUrl(
  report: ReportId,
  filters: ReportFilters,
  format: 'csv' | 'xlsx',
  lang: 'ru' | 'en',
): string {
  const query = filtersQuery(filters);
  return `/api/v1/reports/${report}/export?format=${format}&lang=${lang}${query ? `&${query}` : ''}`;
}

/**
 * Reads one report. Unlike getJson it keeps the server's reason for a refusal (a period too long,
 * a report outside the user's role), which the page shows in place of the chart.
 */
export function readReport(
  report: ReportId,
  filters: ReportFilters,
  signal?: AbortSignal,
): Promise<SendResult<ReportView>> {
  return readJson<ReportView>(reportUrl(report, filters), signal);
}
