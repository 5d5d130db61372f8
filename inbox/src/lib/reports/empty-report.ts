import type { ReportTable, ReportView } from './report-views.js';

function numbersOf(table: ReportTable): unknown[] {
  const numeric = table.columns.filter((column) => column.unit !== 'text').map((column) => column.key);
  return table.rows.flatMap((row) => numeric.map((key) => row[key]));
}

/**
 * A report with nothing to show for the period: every figure, chart value and table number is
 * zero or unknown (a funnel still lists its stages, each with 0 deals). The page then says
 * «Нет данных за период» instead of an empty chart and rows of zeros.
 */
export function isEmptyReport(view: ReportView): boolean {
  const tables = [view.table, ...(view.extraTables ?? []).map((extra) => extra.table)];
  const values = [
    ...view.headline.map((figure) => figure.value),
    ...view.chart.series.flatMap((series) => series.values),
    ...tables.flatMap(numbersOf),
  ];
  return values.every((value) => value === null || value === 0 || typeof value !== 'number');
}
