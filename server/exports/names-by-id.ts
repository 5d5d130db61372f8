import type { Types } from 'mongoose';

/**
 * The names of the records with these ids, for the columns that show who or what a row points
 * to (owner, company, contact): one query per column instead of one per row. `load` reads the
 * records with the given ids from their collection.
 */
export async function namesById(
  load: (ids: string[]) => Promise<{ _id: Types.ObjectId; name: string }[]>,
  ids: (Types.ObjectId | undefined)[],
): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((id) => id !== undefined).map(String))];
  if (unique.length === 0) return new Map();
  return new Map((await load(unique)).map((row) => [String(row._id), row.name]));
}
