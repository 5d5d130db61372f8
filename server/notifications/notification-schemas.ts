import { z } from 'zod';

/**
 * `mention`: a note @mentions the user; `assignment`: a conversation was given to them; `flow`: a
 * flow's notify step (the actor is the flow: id `flow:<flow id>`, its name).
 */
export const NOTIFICATION_KINDS = ['mention', 'assignment', 'flow', 'appointment'] as const;

export const notificationViewSchema = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  /** Who caused it (the note's author, who assigned); null for automation (auto-assignment). */
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
  conversationId: z.string().optional(),
  contactId: z.string().optional(),
  dealId: z.string().optional(),
  noteId: z.string().optional(),
  /** The first words of what it is about. */
  preview: z.string(),
  readAt: z.string().optional(),
  createdAt: z.string(),
});
export type NotificationView = z.infer<typeof notificationViewSchema>;
