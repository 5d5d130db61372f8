/**
 * The Reports API's answers as the Reports page reads them (the issue 12 contract,
 * server/reports/report-definition.ts), as JSON sends them: periods are `YYYY-MM-DD` days.
 */

/** Every report the page knows, in the order of its tabs (the server's REPORT_IDS). */
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

export function isReportId(value: string | undefined): value is ReportId {
  return REPORT_IDS.some((id) => id === value);
}

/** A label in both interface languages: the server names columns and series once, for both. */
export interface LocalText {
  ru: string;
  en: string;
}

export type FigureUnit = 'count' | 'percent' | 'seconds' | 'days' | 'months' | 'years' | 'money' | 'ratio';

export interface HeadlineFigure {
  key: string;
  label: LocalText;
  unit: FigureUnit;
  value: number | null;
  previous: number | null;
}

export interface ChartSeries {
  key: string;
  label: LocalText;
  unit: FigureUnit;
  values: (number | null)[];
}

export interface ReportChart {
  kind: 'funnel' | 'bar' | 'stacked-bar' | 'line';
  labels: string[];
  series: ChartSeries[];
}

export interface ReportColumn {
  key: string;
  label: LocalText;
  unit: FigureUnit | 'text';
}

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
  extraTables?: { key: string; title: LocalText; table: ReportTable }[];
}

/** `GET /api/v1/reports`: the reports this user may open. */
export interface ReportListItem {
  id: ReportId;
  title: LocalText;
}
