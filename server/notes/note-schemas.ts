import { z } from 'zod';
import { listQuerySchema } from '../api/pagination.js';
import { objectIdSchema } from '../users/user-schemas.js';

export const NOTE_ENTITIES = ['contact', 'company', 'deal'] as const;
export const noteEntitySchema = z.enum(NOTE_ENTITIES);
export type NoteEntity = z.infer<typeof noteEntitySchema>;

export const noteInputSchema = z.strictObject({
  entity: noteEntitySchema,
  entityId: objectIdSchema,
  text: z.string().trim().min(1).max(10_000),
});

export const noteListQuerySchema = listQuerySchema.omit({ q: true }).extend({
  entity: noteEntitySchema,
  entityId: objectIdSchema,
});

export const noteViewSchema = z.object({
  id: z.string(),
  entity: noteEntitySchema,
  entityId: z.string(),
  /** 'system' notes are written by the product itself (a merge, an automation) for the timeline. */
  kind: z.enum(['note', 'system']),
  text: z.string(),
  authorId: z.string().optional(),
  authorName: z.string(),
  /** Set on a private note written in a conversation. */
  conversationId: z.string().optional(),
  mentionedUserIds: z.array(z.string()).optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
  createdAt: z.string(),
});

export type NoteInput = z.infer<typeof noteInputSchema>;
export type NoteView = z.infer<typeof noteViewSchema>;
