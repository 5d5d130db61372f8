import { loadExcelJs } from './load-exceljs.js';
import type { ExportTable } from './export-table.js';
import { toLocalTime } from './to-local-time.js';

/**
 * The table as an Excel workbook: one sheet with a bold, frozen header row and a filter on it,
 * columns as wide as their content usually is, money as numbers with two decimals, moments as
 * real dates in the user's time zone (so they sort and filter as dates). Cells are written as
 * values, never formulas, so text from clients cannot run in the admin's Excel.
 */
export async function renderXlsx(table: ExportTable, timeZone: string): Promise<Buffer> {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Funnel Inbox';
  const sheet = workbook.addWorksheet(table.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((column, i) => ({
    key: String(i),
    header: column.header,
    width: column.width,
    ...(column.type === 'money' ? { style: { numFmt: '#,##0.00' } } : {}),
    ...(column.type === 'date' ? { style: { numFmt: 'yyyy-mm-dd hh:mm' } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
  for (const row of table.rows) {
    sheet.addRow(row.map((cell) => (cell instanceof Date ? toLocalTime(cell, timeZone).wallClock : (cell ?? null))));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
