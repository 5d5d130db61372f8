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
