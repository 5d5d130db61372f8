import type { ApiServices } from '../../api/api-services.js';
import type { AuthUser } from '../../api/define-route.js';
import type { FigureUnit, LocalText, ReportColumn, ReportId, ReportView } from '../report-definition.js';
import { computeReport } from '../report-registry.js';
import type { DigestWeek } from './digest-week.js';

/** One headline of the digest: a report's figure for the week beside the week before. */
export interface DigestLine {
  key: string;
  label: LocalText;
  unit: FigureUnit;
  value: number | null;
  previous: number | null;
}

export interface DigestContent {
  week: DigestWeek;
  lines: DigestLine[];
  /** The sources that brought most leads in the week: the sources report's first rows. */
  topSources: { columns: ReportColumn[]; rows: Record<string, string | number | null>[] };
}

/**
 * The figures the digest shows, each a headline of a report (so its label and value are the ones
 * the Reports page shows for the same week): new leads, won, revenue and conversion, the median
 * first response and the share answered within the SLA.
 */
const PICKS: readonly { report: ReportId; key: string }[] = [
  { report: 'funnel', key: 'leads' },
  { report: 'funnel', key: 'won' },
  { report: 'stage-time', key: 'wonDeals' },
  { report: 'sources', key: 'revenue' },
  { report: 'funnel', key: 'leadToWon' },
  { report: 'responses', key: 'firstResponseMedian' },
  { report: 'responses', key: 'withinSla' },
];
const TOP_SOURCES = 3;
const SOURCE_COLUMNS = ['source', 'leads', 'won', 'revenue'];

/**
 * Computes the digest's figures for a week with `computeReport`, as `reader` (a manager or an
 * admin: both see every figure of the workspace). Each report is computed once.
 */
export async function digestContent(
  services: ApiServices,
  reader: AuthUser,
  week: DigestWeek,
  timeZone: string,
): Promise<DigestContent> {
  const views = new Map<ReportId, ReportView>();
  for (const report of new Set<ReportId>([...PICKS.map((pick) => pick.report), 'sources'])) {
    views.set(
      report,
      await computeReport(services, reader, report, { ...week.period }, { timeZone, previous: week.previous }),
    );
  }
  const lines = PICKS.flatMap((pick) => {
    const figure = views.get(pick.report)?.headline.find((headline) => headline.key === pick.key);
    return figure ? [{ ...figure, key: `${pick.report}.${pick.key}` }] : [];
  });
  const sources = views.get('sources')!.table;
  return {
    week,
    lines,
    topSources: {
      columns: sources.columns.filter((column) => SOURCE_COLUMNS.includes(column.key)),
      rows: sources.rows.filter((row) => Number(row.leads) > 0).slice(0, TOP_SOURCES),
    },
  };
}
