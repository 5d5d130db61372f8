import { decodeDocument } from './collection.js';
import { encodeKey, TypeTag } from './key-encoding.js';
import { scanPlan } from './scan.js';
import type { Storage } from './storage.js';

function isExpired(value: unknown, cutoff: number): boolean {
  if (value instanceof Date) return value.getTime() <= cutoff;
  if (Array.isArray(value)) return value.some((v) => v instanceof Date && v.getTime() <= cutoff);
  return false;
}

/**
 * Deletes documents whose TTL-indexed date is older than `expireAfterSeconds`, as MongoDB's TTL
 * monitor does (a document with an array of dates expires with its earliest date).
 */
export function removeExpiredDocuments(storage: Storage, now = Date.now()): number {
  let removed = 0;
  for (const db of storage.listDatabases()) {
    for (const collection of storage.listCollections(db)) {
      for (const index of collection.secondaryIndexes()) {
        if (index.spec.expireAfterSeconds === undefined || index.fields[0]!.direction !== 1) continue;
        const cutoff = now - index.spec.expireAfterSeconds * 1000;
        const interval = { lo: Buffer.from([TypeTag.Date]), hi: encodeKey(new Date(cutoff + 1)) };
        const rows = [
          ...scanPlan(
            collection,
            { type: 'ixscan', index, intervals: [interval], direction: 1, providesSort: false },
            () => undefined,
          ),
        ];
        if (rows.length === 0) continue;
        storage.transaction(() => {
          for (const row of rows) {
            const doc = decodeDocument(row.bytes);
            if (!isExpired(pathValue(doc, index.fields[0]!.path), cutoff)) continue;
            collection.remove(row.rid, doc);
            removed++;
          }
        });
      }
    }
  }
  return removed;
}

function pathValue(doc: Record<string, unknown>, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined),
      doc,
    );
}
