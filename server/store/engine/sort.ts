import { CommandError, ErrorCodes } from '../errors.js';
import { valuesAtPath } from './index-keys.js';
import { encodeKey } from './key-encoding.js';
import type { SortSpec } from './planner.js';
import { TEXT_SCORE_PATH } from './text-index.js';

export function parseSort(sort: unknown): SortSpec {
  if (sort === undefined || sort === null) return [];
  if (typeof sort !== 'object' || Array.isArray(sort)) {
    throw new CommandError(ErrorCodes.TypeMismatch, `Expected field sort to be of type object`);
  }
  return Object.entries(sort as Record<string, unknown>).map(([path, dir]) => {
    if ((dir as { $meta?: unknown } | null)?.$meta === 'textScore') return [TEXT_SCORE_PATH, -1];
    const n = Number(dir);
    if (n !== 1 && n !== -1) {
      throw new CommandError(
        ErrorCodes.BadValue,
        `$sort key ordering must be 1 (for ascending) or -1 (for descending)`,
      );
    }
    return [path, n];
  });
}

/** MongoDB sorts an array field by its smallest element ascending and its largest descending. */
function sortKey(row: { doc: Record<string, unknown>; textScore?: number }, path: string, direction: 1 | -1): Buffer {
  if (path === TEXT_SCORE_PATH) return encodeKey(row.textScore ?? 0);
  const { values } = valuesAtPath(row.doc, path);
  let best: Buffer | undefined;
  for (const value of values) {
    const key = encodeKey(value === undefined ? null : value);
    if (!best || Buffer.compare(key, best) * direction < 0) best = key;
  }
  return best ?? encodeKey(null);
}

export function sortDocuments<T extends { doc: Record<string, unknown>; textScore?: number }>(
  rows: T[],
  sort: SortSpec,
): T[] {
  const keyed = rows.map((row) => ({ row, keys: sort.map(([path, dir]) => sortKey(row, path, dir)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < sort.length; i++) {
      const c = Buffer.compare(a.keys[i]!, b.keys[i]!);
      if (c !== 0) return c * sort[i]![1];
    }
    return 0;
  });
  return keyed.map((k) => k.row);
}
