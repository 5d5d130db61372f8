import { badRequest } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';

/** Which field each column of the file fills. */
export type ColumnMap<F extends string> = { index: number; field: F }[];

const normalize = (name: string) => name.trim().toLowerCase();

/**
 * Resolves a request's mapping against the file's header: a key is a header (every column with
 * that header, ignoring case and surrounding spaces) or a 1-based column number. A key that names
 * no column is refused (400) before anything runs: a misspelt "Телефон" would otherwise import
 * every row without its phone. Columns nobody mapped are ignored.
 */
export function mapColumns<F extends string>(columns: string[], mapping: Record<string, F>): ColumnMap<F> {
  const map: ColumnMap<F> = [];
  const missing: string[] = [];
  for (const [key, field] of Object.entries(mapping)) {
    const byHeader = columns.flatMap((column, index) => (normalize(column) === normalize(key) ? [index] : []));
    const byNumber = /^\d+$/.test(key.trim()) && Number(key) >= 1 && Number(key) <= columns.length;
    const indexes = byHeader.length > 0 ? byHeader : byNumber ? [Number(key) - 1] : [];
    if (indexes.length === 0) missing.push(key);
    for (const index of indexes) map.push({ index, field });
  }
  if (missing.length > 0) {
    const named = {
      en: missing.map((key) => `"${key}"`).join(', '),
      ru: missing.map((key) => `«${key}»`).join(', '),
    };
    throw badRequest(errorTexts.sayWith('missingColumns', { columns: named }), { missingColumns: missing, columns });
  }
  return map.sort((a, b) => a.index - b.index);
}
