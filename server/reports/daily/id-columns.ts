import type { Types } from 'mongoose';

/**
 * Ids in kept columnar blocks: one string of 24-character hex ids, a dash run for none. A day's
 * few hundred ids decode as one string instead of as many ObjectIds.
 */
const ID_LENGTH = 24;
const NO_ID = '-'.repeat(ID_LENGTH);

/** An id as its column cell. */
export const idCell = (id: Types.ObjectId | undefined | null): string => (id ? id.toHexString() : NO_ID);

/** The id at a row of a column, or null for none. */
export function idAt(column: string, index: number): string | null {
  const id = column.slice(index * ID_LENGTH, (index + 1) * ID_LENGTH);
  return id === NO_ID ? null : id;
}

/** Every id of a column, in order, the empty cells left out. */
export function* idsIn(column: string): Generator<string> {
  for (let start = 0; start < column.length; start += ID_LENGTH) {
    const id = column.slice(start, start + ID_LENGTH);
    if (id !== NO_ID) yield id;
  }
}
