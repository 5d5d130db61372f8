import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { recordAudit } from '../audit/record-audit.js';
import type { ExportFile } from '../exports/create-export.js';
import { EXPORT_CONTENT_TYPES, type ExportCell, type ExportColumn, type ExportTable } from '../exports/export-table.js';
import { renderCsv } from '../exports/render-csv.js';
import { renderXlsx } from '../exports/render-xlsx.js';
import type { ReportColumn, ReportTable, ReportView } from './report-definition.js';
import type { ReportExportQuery } from './report-filters.js';

type Format = ReportExportQuery['format'];
type Lang = ReportExportQuery['lang'];

/**
 * A figure as the exporters write it. In XLSX numbers stay numbers. The CSV writer prints
 * numbers with two decimals (and a decimal comma for Russian Excel in money columns), so whole counts go as text to read "12", not "12.00".
 */
function cell(value: string | number | null | undefined, format: Format): ExportCell {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' && format === 'csv' && Number.isInteger(value)) return String(value);
  return value;
}

function exportColumn(column: ReportColumn | undefined, lang: Lang, format: Format): ExportColumn {
  const header = column ? column.label[lang] : '';
  // Every CSV column is 'money' so that fractions get the decimal mark of the file's language;
  // text cells are written as they are either way.
  const type = format === 'csv' || column?.unit === 'money' ? 'money' : 'text';
  return { header, width: Math.max(12, header.length + 2), type };
}

/**
 * The report's table, and below it each extra table under its title, as one sheet: the export
 * writers take one table, so the extra tables become rows of it (a blank row, the title, their
 * own header row, their rows), and the sheet is as wide as the widest table.
 */
export function reportExportTable(view: ReportView, title: string, lang: Lang, format: Format): ExportTable {
  const tables: { title?: string; table: ReportTable }[] = [
    { table: view.table },
    ...(view.extraTables ?? []).map((extra) => ({ title: extra.title[lang], table: extra.table })),
  ];
  const width = Math.max(...tables.map(({ table }) => table.columns.length));
  const columns = Array.from({ length: width }, (_, i) => exportColumn(view.table.columns[i], lang, format));
  const rowsOf = (table: ReportTable) =>
    table.rows.map((row) => table.columns.map((column) => cell(row[column.key], format)));
  const rows: ExportCell[][] = rowsOf(view.table);
  for (const extra of tables.slice(1)) {
    rows.push(
      [],
      [extra.title],
      extra.table.columns.map((column) => column.label[lang]),
      ...rowsOf(extra.table),
    );
  }
  // Excel refuses sheet names longer than 31 characters or with []:*?/\ in them.
  return { sheetName: title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31), columns, rows };
}

/** How many data rows a report's export holds: the table's and the extra tables'. */
export function exportRowCount(view: ReportView): number {
  return view.table.rows.length + (view.extraTables ?? []).reduce((sum, extra) => sum + extra.table.rows.length, 0);
}

/**
 * A report as a CSV or XLSX file, written to the audit log (`report.export`, with its filters
 * and row count) before the caller sends a byte of it, as every export is.
 */
export async function createReportExport(
  services: Pick<ApiServices, 'db'>,
  user: AuthUser,
  view: ReportView,
  request: { title: string; format: Format; lang: Lang; timeZone: string; filters: Record<string, unknown> },
): Promise<ExportFile> {
  const table = reportExportTable(view, request.title, request.lang, request.format);
  const body =
    request.format === 'csv'
      ? renderCsv(table, request.lang, request.timeZone)
      : await renderXlsx(table, request.timeZone);
  const fileName = `report-${view.report}-${view.period.from}-${view.period.to}.${request.format}`;
  const rowCount = exportRowCount(view);
  await recordAudit(services, {
    actor: user,
    action: 'report.export',
    entity: 'report',
    entityId: view.report,
    meta: { format: request.format, lang: request.lang, filters: request.filters, rowCount, fileName },
  });
  return { body, contentType: EXPORT_CONTENT_TYPES[request.format], fileName, rowCount };
}
