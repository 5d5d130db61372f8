import { Types } from 'mongoose';
import { z } from 'zod';
import type { AuthUser } from '../api/define-route.js';
import { seesEverything } from '../auth/permissions.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { labelSchema } from './conversation-change-schema.js';
import { CONVERSATION_PRIORITIES, CONVERSATION_STATUSES } from './conversation-model.js';

/** The inbox's conversation filters, shared by the conversation list and message search. */
export const conversationFilterSchema = z.strictObject({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  /** 'me', 'unassigned' or a user's id. */
  assignee: z.union([z.enum(['me', 'unassigned']), objectIdSchema]).optional(),
  teamId: objectIdSchema.optional(),
  label: labelSchema.optional(),
  channel: z.string().trim().min(1).max(50).optional(),
  priority: z.enum(CONVERSATION_PRIORITIES).optional(),
});
export type ConversationFilter = z.infer<typeof conversationFilterSchema>;

/** The conversations a user may list: everything for managers, otherwise their own and their teams'. */
export function conversationScope(user: AuthUser): Record<string, unknown> {
  if (seesEverything(user.role)) return {};
  return {
    $or: [
      { assigneeId: new Types.ObjectId(user.id) },
      { teamIds: { $in: user.teamIds.map((id) => new Types.ObjectId(id)) } },
    ],
  };
}

/** A conversation query for the filters, always within the user's scope. */
export function conversationListFilter(user: AuthUser, filter: ConversationFilter): Record<string, unknown> {
  const assignee =
    filter.assignee === undefined
      ? {}
      : filter.assignee === 'unassigned'
        ? { assigneeId: { $exists: false } }
        : { assigneeId: new Types.ObjectId(filter.assignee === 'me' ? user.id : filter.assignee) };
  // Conversations stored before priorities existed have none, which reads as 'none'.
  const priority =
    filter.priority === undefined
      ? {}
      : filter.priority === 'none'
        ? { priority: { $in: ['none', null] } }
        : { priority: filter.priority };
  return {
    ...conversationScope(user),
    ...(filter.status ? { status: filter.status } : {}),
    ...assignee,
    ...(filter.teamId ? { teamIds: new Types.ObjectId(filter.teamId) } : {}),
    ...(filter.label ? { labels: filter.label } : {}),
    ...(filter.channel ? { channel: filter.channel } : {}),
    ...priority,
  };
}
