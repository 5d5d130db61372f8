import { stringify } from 'csv-stringify/sync';
import type { ExportLanguage } from './export-schema.js';
import type { ExportCell, ExportColumn, ExportTable } from './export-table.js';
import { toLocalTime } from './to-local-time.js';

/**
 * Text a spreadsheet would run as a formula (OWASP "CSV injection"): a contact named
 * `=HYPERLINK(…)` by a stranger in the chat widget must stay text when an admin opens the file.
 * Phone lists ('+79161234567, +7…') start with '+' too but hold nothing that can run.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PHONE_LIST = /^[+\d\s,()-]+$/;

function csvCell(cell: ExportCell, column: ExportColumn, lang: ExportLanguage, timeZone: string): string {
  if (cell === undefined) return '';
  if (cell instanceof Date) return toLocalTime(cell, timeZone).text;
  // A Russian Excel reads "1234,50" as a number and "1234.50" as text (or a date).
  if (typeof cell === 'number')
    return column.type === 'money' && lang === 'ru' ? cell.toFixed(2).replace('.', ',') : cell.toFixed(2);
  return FORMULA_START.test(cell) && !PHONE_LIST.test(cell) ? `'${cell}` : cell;
}

/**
 * The table as CSV that Excel opens right: UTF-8 with a BOM (without it Excel reads Cyrillic as
 * Windows-1251 garbage), CRLF line ends, and the list separator Excel expects in the file's
 * language: ';' in Russian locales (where ',' is the decimal mark), ',' in English ones.
 */
export function renderCsv(table: ExportTable, lang: ExportLanguage, timeZone: string): Buffer {
  const records = [
    table.columns.map((column) => column.header),
    ...table.rows.map((row) => table.columns.map((column, i) => csvCell(row[i], column, lang, timeZone))),
  ];
  const text = stringify(records, { bom: true, delimiter: lang === 'ru' ? ';' : ',', record_delimiter: 'windows' });
  return Buffer.from(text, 'utf8');
}
