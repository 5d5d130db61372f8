import { z } from 'zod';
import { badRequest } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { normalizePhone } from '../contacts/normalize-phone.js';
import { readImportCsv } from '../imports/read-import-csv.js';
import { splitCells } from '../imports/split-cells.js';

export interface StaticListRow {
  /** The line a spreadsheet shows for the row (the header is line 1). */
  line: number;
  /** E.164. */
  phones: string[];
  /** Lower-cased. */
  emails: string[];
}

export interface StaticList {
  rows: StaticListRow[];
  invalidRows: { line: number; reason: string }[];
}

const PHONE_HEADER = /phone|тел|mobile|моб|whatsapp|номер/i;
const EMAIL_HEADER = /mail|почт/i;
const isEmail = (value: string) => z.email().safeParse(value).success;

/** Which columns hold phones and which e-mails, by their headers. */
function keyColumns(columns: string[]): { phone: number[]; email: number[] } {
  const indexes = (pattern: RegExp) => columns.flatMap((header, i) => (pattern.test(header) ? [i] : []));
  const email = indexes(EMAIL_HEADER);
  return { phone: indexes(PHONE_HEADER).filter((i) => !email.includes(i)), email };
}

/** One row's phones and e-mails, or why it names nobody. */
function readRow(phoneCells: string[], emailCells: string[]): { phones: string[]; emails: string[]; bad: string[] } {
  const phones: string[] = [];
  const emails: string[] = [];
  const bad: string[] = [];
  for (const value of splitCells(phoneCells, /[,;\n]/)) {
    const e164 = normalizePhone(value);
    if (e164) phones.push(e164);
    else bad.push(`Телефон «${value}» не распознан / Phone "${value}" is not a valid number`);
  }
  for (const value of splitCells(emailCells, /[,;\s]+/).map((email) => email.toLowerCase())) {
    if (isEmail(value)) emails.push(value);
    else bad.push(`E-mail «${value}» с ошибкой / E-mail "${value}" is not a valid address`);
  }
  return { phones, emails, bad };
}

/**
 * A static list's CSV (the import's reader: ',' ';' or tab, UTF-8 or Windows-1251) as the phones
 * and e-mails of each row. Columns are found by their headers ("Телефон", "Phone", "E-mail",
 * "Почта"…); a file of bare numbers or addresses without a header is read whole. A row is invalid
 * when it yields no phone or e-mail; a bad value beside a good one is skipped.
 */
export function readStaticList(input: { csv: string; encoding?: 'text' | 'base64' }): StaticList {
  const table = readImportCsv(input);
  const columns = keyColumns(table.columns);
  const headerless = columns.phone.length + columns.email.length === 0;
  if (headerless && !table.columns.some((cell) => normalizePhone(cell) !== undefined || isEmail(cell.trim()))) {
    throw badRequest(errorTexts.say('staticListColumn'), {
      columns: table.columns,
    });
  }
  const rows = headerless ? [{ row: 1, cells: table.columns }, ...table.rows] : table.rows;
  // Without headers each cell tells what it is: an address has '@'.
  const keyCells = (cells: string[]) =>
    headerless
      ? { phones: cells.filter((cell) => !cell.includes('@')), emails: cells.filter((cell) => cell.includes('@')) }
      : { phones: columns.phone.map((i) => cells[i] ?? ''), emails: columns.email.map((i) => cells[i] ?? '') };
  const list: StaticList = { rows: [], invalidRows: [] };
  for (const { row, cells } of rows) {
    const keys = keyCells(cells);
    const { phones, emails, bad } = readRow(keys.phones, keys.emails);
    if (phones.length + emails.length > 0) list.rows.push({ line: row, phones, emails });
    else list.invalidRows.push({ line: row, reason: bad.join('; ') || 'Нет телефона или e-mail / No phone or e-mail' });
  }
  return list;
}
