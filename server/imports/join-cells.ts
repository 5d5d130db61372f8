/** A single-valued field filled from one or several columns ("Фамилия" + "Имя" → one name). */
export function joinCells(cells: string[] | undefined, separator: string): string {
  return (cells ?? []).join(separator).trim();
}
