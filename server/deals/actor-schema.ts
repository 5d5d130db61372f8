import { z } from 'zod';
import type { AuthUser } from '../api/define-route.js';

/**
 * Who made a change: a person, or an automation (a flow) acting on its own. Stage history and
 * tasks record it so reports can tell manual work from what the funnel did by itself.
 */
export const actorSchema = z.strictObject({
  kind: z.enum(['user', 'automation']),
  id: z.string().min(1).max(100),
  /** An automation's name as it was then (a flow's, in the workspace language); people are named by id. */
  name: z.string().max(200).optional(),
});

export type Actor = z.infer<typeof actorSchema>;

export const actorOf = (user: AuthUser): Actor => ({ kind: 'user', id: user.id });
