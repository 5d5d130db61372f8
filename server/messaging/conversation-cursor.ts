import { Types } from 'mongoose';
import { z } from 'zod';
import { badRequest } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';

/**
 * Keyset cursor of the conversation list, which is ordered by last activity (`lastMessageAt`,
 * then `_id`, both descending): the last row's pair, so a page starts exactly after it however
 * many conversations were written meanwhile. `pagination.ts`'s `_id` cursors cannot express it.
 */
const cursorSchema = z.strictObject({
  at: z.iso.datetime(),
  id: z.string().regex(/^[0-9a-f]{24}$/),
});

export type ConversationCursor = z.infer<typeof cursorSchema>;

export function encodeConversationCursor(cursor: ConversationCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeConversationCursor(cursor: string | undefined): ConversationCursor | undefined {
  if (!cursor) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badRequest(errorTexts.say('cursor'));
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) throw badRequest(errorTexts.say('cursor'));
  return result.data;
}

/**
 * The conversations after the cursor in list order. The range on `lastMessageAt` alone lets the
 * planner walk the `{ lastMessageAt: -1, _id: -1 }` index; the `$or` then drops the rows of the
 * same instant already given.
 */
export function afterConversationCursor(cursor: ConversationCursor): Record<string, unknown> {
  const at = new Date(cursor.at);
  return {
    $and: [
      { lastMessageAt: { $lte: at } },
      { $or: [{ lastMessageAt: { $lt: at } }, { _id: { $lt: new Types.ObjectId(cursor.id) } }] },
    ],
  };
}
