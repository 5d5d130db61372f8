import { z } from 'zod';
import { objectIdSchema, publicUserSchema } from './user-schemas.js';

/** Whose hands a leaving user's work goes to: listed colleagues, or the active members of a team. */
export const deactivateUserSchema = z.strictObject({
  to: z.union([
    z.strictObject({ userIds: z.array(objectIdSchema).min(1).max(50) }),
    z.strictObject({ teamId: objectIdSchema }),
  ]),
});

const movedCountsSchema = z.object({
  deals: z.number().int(),
  tasks: z.number().int(),
  contacts: z.number().int(),
});

export const deactivationResultSchema = z.object({
  user: publicUserSchema,
  /** What this call moved; a retry after a complete run moves nothing. */
  moved: movedCountsSchema,
  /** The same per receiving colleague, in round-robin order. */
  byUser: z.array(movedCountsSchema.extend({ userId: z.string() })),
});

export type DeactivateUserBody = z.output<typeof deactivateUserSchema>;
export type MovedCounts = z.infer<typeof movedCountsSchema>;
export type DeactivationResult = z.infer<typeof deactivationResultSchema>;
