import type ExcelJS from 'exceljs';
import { loadExcelJs } from '../exports/load-exceljs.js';
import { badRequest } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { base64FileBytes } from './base64-file-bytes.js';
import { cellText } from './cell-text.js';
import type { ImportRequest } from './import-schemas.js';
import type { ImportTable } from './read-import-csv.js';

/**
 * The rejected rows of an XLSX import come back as CSV; ';' is the list separator Excel expects
 * where ',' is the decimal mark (Russian Windows), so the file opens in columns there.
 */
const REJECTED_CSV_DELIMITER = ';';

const unreadable = (reason: string) => badRequest(errorTexts.sayWith('xlsxUnreadable', { reason }));

async function loadWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const { Workbook } = await loadExcelJs();
  const workbook = new Workbook();
  try {
    // exceljs's typings predate Node's generic Buffer; the bytes are what it reads.
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw unreadable(error instanceof Error ? error.message : String(error));
  }
  return workbook;
}

/** A row's cells from column 1 to its last filled one, as strings. */
function rowCells(row: ExcelJS.Row): string[] {
  return Array.from({ length: row.cellCount }, (_, i) => cellText(row.getCell(i + 1).value));
}

/**
 * Reads an XLSX import into the same table a CSV gives: the first worksheet (the one a person sees
 * on opening the file), its first non-empty row as the header, and the rows under it numbered as
 * the sheet numbers them, so the report and rejected file point at the right line.
 */
export async function readImportXlsx(input: Pick<ImportRequest, 'csv'>): Promise<ImportTable> {
  const workbook = await loadWorkbook(base64FileBytes(input.csv));
  const sheet = workbook.worksheets[0];
  if (!sheet) throw badRequest(errorTexts.say('xlsxNoWorksheet'));
  const records: { row: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    records.push({ row: rowNumber, cells: rowCells(row) });
  });
  const [header, ...data] = records.filter(({ cells }) => cells.some((cell) => cell !== ''));
  if (!header || data.length === 0) {
    throw badRequest(errorTexts.say('noRows'));
  }
  return { columns: header.cells, rows: data, delimiter: REJECTED_CSV_DELIMITER };
}
