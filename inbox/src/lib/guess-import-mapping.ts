/** The contact fields an import column can fill (server/imports/import-schemas.ts). */
export const CONTACT_IMPORT_FIELDS = ['name', 'phone', 'email', 'company', 'tags', 'region', 'source'] as const;
export type ContactImportField = (typeof CONTACT_IMPORT_FIELDS)[number];

/** Header words of Russian and English spreadsheets, lower-case, for each field. */
const HEADER_WORDS: Record<ContactImportField, readonly string[]> = {
  name: ['name', 'full name', 'fio', 'фио', 'имя', 'фамилия', 'контакт', 'клиент'],
  phone: ['phone', 'mobile', 'tel', 'телефон', 'тел', 'мобильный', 'номер'],
  email: ['email', 'e-mail', 'mail', 'почта', 'эл. почта', 'электронная почта'],
  company: ['company', 'organization', 'компания', 'организация', 'фирма'],
  tags: ['tags', 'tag', 'group', 'теги', 'тег', 'группа'],
  region: ['region', 'city', 'регион', 'город'],
  source: ['source', 'channel', 'источник', 'канал'],
};

function fieldOf(header: string): ContactImportField | undefined {
  const text = header
    .trim()
    .toLowerCase()
    .replace(/\s+\d+$/, '');
  return CONTACT_IMPORT_FIELDS.find((field) => HEADER_WORDS[field].includes(text));
}

/**
 * A first mapping of a file's columns to contact fields from their headers («Телефон 2» is a
 * phone too); the person checks it before importing. Unrecognised columns map to nothing ('').
 */
export function guessImportMapping(columns: readonly string[]): (ContactImportField | '')[] {
  return columns.map((column) => fieldOf(column) ?? '');
}

/**
 * The request's `mapping` from the field chosen for each column (by position): only mapped
 * columns, keyed by header, or by 1-based number when a header repeats, is empty or cannot be a key.
 */
export function importMapping(
  columns: readonly string[],
  chosen: readonly (ContactImportField | '')[],
): Record<string, ContactImportField> {
  const mapping: Record<string, ContactImportField> = {};
  columns.forEach((column, index) => {
    const field = chosen[index];
    if (!field) return;
    const unique = column.trim() !== '' && columns.filter((other) => other === column).length === 1;
    // The server takes '.' and '$' in no key (they would reach a query); a number names the column then.
    mapping[unique && !/[.$]/.test(column) ? column : String(index + 1)] = field;
  });
  return mapping;
}
