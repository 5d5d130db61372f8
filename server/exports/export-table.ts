/** One cell: text, a number, a money amount, or a moment (written in the exporting user's time zone). */
export type ExportCell = string | number | Date | undefined;

export interface ExportColumn {
  header: string;
  /** Width in characters, so a file opens readable without resizing columns. */
  width: number;
  type: 'text' | 'money' | 'date';
}

/** An export before it becomes a file: the same table is written as CSV or XLSX. */
export interface ExportTable {
  sheetName: string;
  columns: ExportColumn[];
  rows: ExportCell[][];
}

/** The media type of each export format, for the file's Content-Type. */
export const EXPORT_CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
