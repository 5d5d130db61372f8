import type { Role } from '../auth/permissions.js';
import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';

/** Every report the Reports page shows, in the order of its tabs. */
export const REPORT_IDS = [
  'funnel',
  'stage-time',
  'responses',
  'bot',
  'sources',
  'campaigns',
  'activity',
  'payback',
] as const;
export type ReportId = (typeof REPORT_IDS)[number];

/** A label in both interface languages: report columns and series are named by the server, once. */
export interface LocalText {
  ru: string;
  en: string;
}

/** How a figure is shown (and written to a spreadsheet). */
export type FigureUnit = 'count' | 'percent' | 'seconds' | 'days' | 'months' | 'years' | 'money' | 'ratio';

/** The filters every report takes; each report applies those that make sense for it. */
export interface ReportFilters {
  /** The period, inclusive start and exclusive end. */
  from: Date;
  to: Date;
  pipelineId?: string;
  teamId?: string;
  operatorId?: string;
  channel?: string;
  source?: string;
}

export interface Period {
  from: Date;
  to: Date;
}

/** A headline number beside the same figure of the previous period of equal length. */
export interface HeadlineFigure {
  key: string;
  label: LocalText;
  unit: FigureUnit;
  value: number | null;
  previous: number | null;
}

export interface ReportChart {
  kind: 'funnel' | 'bar' | 'stacked-bar' | 'line';
  /** Category labels (stage names, days, channels, sources…): data, shown as they are. */
  labels: string[];
  series: { key: string; label: LocalText; unit: FigureUnit; values: (number | null)[] }[];
}

export interface ReportColumn {
  key: string;
  label: LocalText;
  unit: FigureUnit | 'text';
}

/** The table below the chart; the CSV/XLSX export writes exactly this table. */
export interface ReportTable {
  columns: ReportColumn[];
  rows: Record<string, string | number | null>[];
}

export interface ReportView {
  report: ReportId;
  period: { from: string; to: string };
  previous: { from: string; to: string };
  headline: HeadlineFigure[];
  chart: ReportChart;
  table: ReportTable;
  /** More tables where one report has several parts (e.g. funnel: lost reasons). */
  extraTables?: { key: string; title: LocalText; table: ReportTable }[];
}

export interface ReportContext {
  services: ApiServices;
  user: AuthUser;
  filters: ReportFilters;
  previous: Period;
  /** The asking user's time zone, for day buckets. */
  timeZone: string;
}

export interface ReportDefinition {
  id: ReportId;
  title: LocalText;
  /** Who may open it; operators get their own figures only (ReportContext.filters.operatorId is forced). */
  roles: readonly Role[];
  compute(context: ReportContext): Promise<ReportView>;
}
