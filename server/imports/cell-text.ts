import type ExcelJS from 'exceljs';

/**
 * A date cell as text. Spreadsheet dates carry no time zone: exceljs hands the wall clock back in
 * the Date's UTC fields, so they are read as UTC. A date without a time of day is a plain ISO
 * date ("2024-03-15"), which is what a person typed; otherwise the wall clock to the second.
 */
function dateText(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}

/**
 * An XLSX cell's value as the string a CSV of the same sheet would hold, so every row goes through
 * the CSV pipeline unchanged: numbers plain (a phone stored as a number stays its digits), dates
 * as ISO dates, rich text flattened, a formula as its cached result (the formula itself is not a
 * value anybody meant to import), a hyperlink as its shown text, an error as its code ("#N/A",
 * so the rejected file shows what the sheet showed).
 */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return dateText(value);
  if ('richText' in value)
    return value.richText
      .map((run) => run.text)
      .join('')
      .trim();
  if ('error' in value) return value.error;
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result ?? null);
  if ('hyperlink' in value) return cellText(value.text);
  return '';
}
