import { z } from 'zod';

export const NOTIFICATION_KINDS = ['mention'] as const;

export const notificationViewSchema = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  /** Who caused it (the note's author). */
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
  conversationId: z.string().optional(),
  contactId: z.string().optional(),
  noteId: z.string().optional(),
  /** The first words of what it is about. */
  preview: z.string(),
  readAt: z.string().optional(),
  createdAt: z.string(),
});
export type NotificationView = z.infer<typeof notificationViewSchema>;
