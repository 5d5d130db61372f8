import type { Document } from 'mongodb';

/**
 * Inserts documents in one round trip, unordered, and answers the positions a unique index
 * refused as already stored (a redelivery, a retried job, a relaunch): the rest are written all
 * the same. Any other failure is thrown. Duck-typed: mongoose brings its own copy of the driver,
 * so `instanceof MongoBulkWriteError` would fail.
 */
export async function insertNewDocuments(
  collection: { insertMany(documents: Document[], options: { ordered: false }): Promise<unknown> },
  documents: readonly Document[],
): Promise<Set<number>> {
  if (documents.length === 0) return new Set();
  try {
    await collection.insertMany([...documents], { ordered: false });
    return new Set();
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
    if (!writeErrors) throw error;
    const errors = (Array.isArray(writeErrors) ? writeErrors : [writeErrors]) as { code?: number; index: number }[];
    if (errors.some((writeError) => writeError.code !== 11000)) throw error;
    return new Set(errors.map((writeError) => writeError.index));
  }
}
