import { z } from 'zod';
import { badRequest } from './api-error.js';
import { errorTexts } from './error-texts.js';

/** Query parameters every list endpoint takes. */
export const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
  q: z.string().trim().max(200).optional(),
});

export type ListQuery = z.infer<typeof listQuerySchema>;

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * Opaque keyset cursors over `_id` (ObjectIds grow with time, so newest-first pages stay stable
 * while records are added).
 */
export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ id: lastId }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { id?: unknown };
    if (typeof parsed.id === 'string' && /^[0-9a-f]{24}$/.test(parsed.id)) return parsed.id;
  } catch {
    // reported below
  }
  throw badRequest(errorTexts.say('cursor'));
}

export function pageOf<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return rows.length > limit ? { items, nextCursor: encodeCursor(items[items.length - 1]!.id) } : { items };
}
