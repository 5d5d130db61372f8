import { Types } from 'mongoose';
import { z } from 'zod';
import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { seesEverything } from '../auth/permissions.js';
import { conversationFilterSchema, conversationListFilter } from '../messaging/conversation-list-filter.js';
import { conversationModel, type ConversationRecord } from '../messaging/conversation-model.js';
import { messageModel, type MessageRecord } from '../messaging/message-model.js';
import { toConversationView, toMessageView, type MessageView } from '../messaging/message-views.js';
import { withContactNames, type NamedConversationView } from '../messaging/with-contact-names.js';
import { dealModel } from '../deals/deal-model.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { initModel } from '../db/init-model.js';

export const messageSearchSchema = conversationFilterSchema.extend({
  /** Words (stemmed: «окна» finds «окно»), "exact phrases" and -excluded words. */
  q: z.string().trim().min(1).max(200),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** Conversations whose contact has a deal in this pipeline stage (narrowed to one pipeline with pipelineId). */
  stageId: z.string().trim().min(1).max(100).optional(),
  pipelineId: objectIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type MessageSearch = z.infer<typeof messageSearchSchema>;

export interface MessageHit {
  message: MessageView;
  conversation: NamedConversationView;
  score: number;
}

// An operator's scope is their own and their teams' conversations; past this many the search
// would be better served by a per-message scope field than by a list of conversation ids.
const MAX_SCOPED_CONVERSATIONS = 50_000;

/** The contacts with a deal in the stage: deals are the funnel's record of where a client is. */
async function contactsInStage(
  services: Pick<ApiServices, 'db'>,
  stageId: string,
  pipelineId: string | undefined,
): Promise<Types.ObjectId[]> {
  const Deal = await dealModel(services.db);
  const ids: (Types.ObjectId | null | undefined)[] = await Deal.distinct('contactId', {
    stageId,
    ...(pipelineId ? { pipelineId: new Types.ObjectId(pipelineId) } : {}),
  });
  return ids.filter((id): id is Types.ObjectId => id instanceof Types.ObjectId);
}

/**
 * Full-text search over messages, best matches first, within the conversations the user may list
 * (the same scope and filters as GET /conversations), optionally within a time range or a funnel
 * stage. Each hit's conversation carries its contact's name.
 */
export async function searchMessages(
  services: Pick<ApiServices, 'db'>,
  user: AuthUser,
  search: MessageSearch,
): Promise<{ items: MessageHit[] }> {
  const { q, from, to, limit, channel, stageId, pipelineId, ...conversationFilters } = search;
  const Message = messageModel(services.db);
  // The text index is built when the model is first used: a search right after start waits for it.
  await initModel(Message);
  const contactIds = stageId ? await contactsInStage(services, stageId, pipelineId) : undefined;
  if (contactIds?.length === 0) return { items: [] };
  const needsConversations =
    !seesEverything(user.role) || Object.values(conversationFilters).some(Boolean) || contactIds !== undefined;
  let conversationIds: Types.ObjectId[] | undefined;
  if (needsConversations) {
    const rows = await conversationModel(services.db)
      .find(
        {
          ...conversationListFilter(user, conversationFilters),
          ...(contactIds ? { contactId: { $in: contactIds } } : {}),
        },
        { _id: 1 },
      )
      .limit(MAX_SCOPED_CONVERSATIONS)
      .lean<{ _id: Types.ObjectId }[]>();
    conversationIds = rows.map((row) => row._id);
    if (conversationIds.length === 0) return { items: [] };
  }
  const createdAt = {
    ...(from ? { $gte: new Date(from) } : {}),
    ...(to ? { $lte: new Date(to) } : {}),
  };
  const rows = await Message.find(
    {
      $text: { $search: q },
      ...(conversationIds ? { conversationId: { $in: conversationIds } } : {}),
      ...(channel ? { channel } : {}),
      ...(from || to ? { createdAt } : {}),
    },
    { score: { $meta: 'textScore' } },
  )
    .sort({ score: { $meta: 'textScore' } })
    .limit(limit)
    .lean<(MessageRecord & { score: number })[]>();
  const conversations = await conversationModel(services.db)
    .find({ _id: { $in: [...new Set(rows.map((row) => row.conversationId.toHexString()))] } })
    .lean<ConversationRecord[]>();
  const named = new Map(
    (await withContactNames(services, conversations.map(toConversationView))).map((view) => [view.id, view]),
  );
  const items: MessageHit[] = [];
  for (const row of rows) {
    const conversation = named.get(row.conversationId.toHexString());
    if (conversation) items.push({ message: toMessageView(row), conversation, score: row.score });
  }
  return { items };
}
