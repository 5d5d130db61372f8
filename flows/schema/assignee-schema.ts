import { z } from 'zod';
import { idSchema, pathSchema, ROLES } from './primitive-schemas.js';

/**
 * Who gets a task, a conversation or a notification. The executor resolves it to one user
 * (round robin keeps its own counter per team); `field` reads a user id from a record. A notify
 * step tells all of a role or a team instead (server/flows/resolve-assignee.ts, resolveRecipients).
 */
export const assigneeSchema = z.discriminatedUnion('type', [
  /** The deal's owner, or the contact's when there is no deal. */
  z.strictObject({ type: z.literal('owner') }),
  /** A user by e-mail or id. */
  z.strictObject({ type: z.literal('user'), user: z.string().trim().min(1).max(254) }),
  /** Anyone active with this role (the least busy one). */
  z.strictObject({ type: z.literal('role'), role: z.enum(ROLES) }),
  /** A team: its members in turn, or its lead. */
  z.strictObject({
    type: z.literal('team'),
    team: idSchema,
    pick: z.enum(['round-robin', 'lead']).default('round-robin'),
  }),
  /** A user id stored in a field, such as deal.fields.measurer_id; the owner when the field is empty. */
  z.strictObject({ type: z.literal('field'), path: pathSchema }),
]);

export type Assignee = z.infer<typeof assigneeSchema>;
