import { CsvError, parse } from 'csv-parse/sync';
import { badRequest } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { base64FileBytes, fileTooLarge } from './base64-file-bytes.js';
import { MAX_IMPORT_FILE_BYTES, type ImportRequest } from './import-schemas.js';

export interface ImportTable {
  columns: string[];
  /** Rows with data; `row` is the number a spreadsheet shows for it (the header is row 1). */
  rows: { row: number; cells: string[] }[];
  delimiter: string;
}

const DELIMITERS = [',', ';', '\t'];

/** File bytes as text: UTF-8 when they are valid UTF-8, otherwise Windows-1251 (Excel's CSV in Russian Windows). */
function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1251').decode(bytes);
  }
}

function fileText(input: Pick<ImportRequest, 'csv' | 'encoding'>): string {
  if (input.encoding !== 'base64') {
    if (Buffer.byteLength(input.csv, 'utf8') > MAX_IMPORT_FILE_BYTES) throw fileTooLarge();
    return input.csv;
  }
  return decode(base64FileBytes(input.csv));
}

/** The header's most frequent separator: Excel saves CSV with ';' where ',' is the decimal mark (Russia). */
function detectDelimiter(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const counts = DELIMITERS.map((delimiter) => header.split(delimiter).length);
  return DELIMITERS[counts.indexOf(Math.max(...counts))]!;
}

/**
 * Reads an import file into a header and rows. Lenient where spreadsheets are sloppy (ragged
 * rows, quotes inside cells such as ООО "Ромашка", a BOM), strict where data would be lost: a
 * file the parser cannot read is refused with the line it stopped at.
 */
export function readImportCsv(input: Pick<ImportRequest, 'csv' | 'encoding'>): ImportTable {
  const text = fileText(input);
  const delimiter = detectDelimiter(text);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      trim: true,
      relax_column_count: true,
      relax_quotes: true,
      // Empty lines are kept (and skipped below) so row numbers match what a spreadsheet shows.
      skip_empty_lines: false,
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw badRequest(errorTexts.sayWith('csvUnreadable', { reason: error.message }));
  }
  const [columns, ...data] = records;
  if (!columns || data.length === 0) {
    throw badRequest(errorTexts.say('noRows'));
  }
  const rows = data
    .map((cells, index) => ({ row: index + 2, cells }))
    .filter(({ cells }) => cells.some((cell) => cell !== ''));
  return { columns, rows, delimiter };
}
