/**
 * A field's cells as a list: one cell may hold several values ("+7 912 …, 8 913 …"), and
 * several columns may fill the same field.
 */
export function splitCells(cells: string[] | undefined, separator: RegExp): string[] {
  return (cells ?? [])
    .flatMap((cell) => cell.split(separator))
    .map((value) => value.trim())
    .filter(Boolean);
}
