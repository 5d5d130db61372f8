import { Types } from 'mongoose';
import { z } from 'zod';
import { outboundButtonSchema } from '../../bot/channels/channel-events.js';
import { ApiError, notFound } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { defineRoute, type AnyRoute, type AuthUser } from '../api/define-route.js';
import { decodeCursor, listQuerySchema, pageOf } from '../api/pagination.js';
import { validationTexts } from '../api/validation-texts.js';
import { contactModels } from '../contacts/contact-models.js';
import { contactIsVisible } from '../contacts/contact-scope.js';
import { fileModel } from '../files/file-model.js';
import { mediaKindOf } from '../files/media-kind-of.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { changeConversation } from './change-conversation.js';
import { contactTimeline } from './contact-timeline.js';
import { afterConversationCursor, decodeConversationCursor, encodeConversationCursor } from './conversation-cursor.js';
import { conversationFilterSchema, conversationListFilter } from './conversation-list-filter.js';
import { conversationModel, type ConversationRecord } from './conversation-model.js';
import { findVisibleConversation } from './find-visible-conversation.js';
import { messageModel, type MessageRecord } from './message-model.js';
import { toConversationView, toMessageView } from './message-views.js';
import { queueMessage } from './queue-message.js';
import { withContactNames } from './with-contact-names.js';

const { say } = validationTexts;

/**
 * Whoever answers an unassigned conversation takes it (as in Chatwoot), so the client's next
 * message reaches the person they talked to and the queue of unanswered chats shrinks. Someone
 * who took it meanwhile keeps it: the change is refused and the reply stands.
 */
async function takeOnReply(services: ApiServices, user: AuthUser, conversationId: string): Promise<void> {
  try {
    await changeConversation(services, user, conversationId, { assigneeId: user.id });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status >= 500) throw error;
  }
}

const TAG = 'conversations';
const idParams = z.strictObject({ id: objectIdSchema });

const replySchema = z
  .strictObject({
    text: z.string().trim().max(20_000).optional(),
    /** A file uploaded with POST /files. */
    fileId: objectIdSchema.optional(),
    buttons: z.array(outboundButtonSchema).max(20).optional(),
    template: z
      .strictObject({
        name: z.string().trim().min(1).max(512),
        language: z.string().trim().min(2).max(15),
        parameters: z.array(z.string().max(1024)).max(20).default([]),
      })
      .optional(),
  })
  .refine((reply) => Boolean(reply.text || reply.fileId || reply.template), {
    message: say('replyContent'),
  });

export const conversationRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/conversations',
    summary: 'Conversations the user may see, the latest activity first',
    tag: TAG,
    access: 'conversations.read',
    query: listQuerySchema.extend({ contactId: objectIdSchema.optional() }).extend(conversationFilterSchema.shape),
    async handler({ query, user, services }) {
      const cursor = decodeConversationCursor(query.cursor);
      const rows = await conversationModel(services.db)
        .find({
          ...conversationListFilter(user, query),
          ...(query.contactId ? { contactId: new Types.ObjectId(query.contactId) } : {}),
          ...(cursor ? afterConversationCursor(cursor) : {}),
        })
        .sort({ lastMessageAt: -1, _id: -1 })
        .limit(query.limit + 1)
        .lean<ConversationRecord[]>();
      const items = await withContactNames(services, rows.slice(0, query.limit).map(toConversationView));
      const last = items[items.length - 1];
      return rows.length > query.limit && last
        ? { items, nextCursor: encodeConversationCursor({ at: last.lastMessageAt, id: last.id }) }
        : { items };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/conversations/:id',
    summary: 'One conversation',
    tag: TAG,
    access: 'conversations.read',
    params: idParams,
    async handler({ params, user, services }) {
      const [view] = await withContactNames(services, [
        toConversationView(await findVisibleConversation(services, user, params.id)),
      ]);
      return view;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/conversations/:id/messages',
    summary: "A conversation's messages, newest first",
    tag: TAG,
    access: 'conversations.read',
    params: idParams,
    query: listQuerySchema.omit({ q: true }),
    async handler({ params, query, user, services }) {
      const conversation = await findVisibleConversation(services, user, params.id);
      const cursor = decodeCursor(query.cursor);
      const rows = await messageModel(services.db)
        .find({ conversationId: conversation._id, ...(cursor ? { _id: { $lt: new Types.ObjectId(cursor) } } : {}) })
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean<MessageRecord[]>();
      return pageOf(rows.map(toMessageView), query.limit);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/conversations/:id/messages',
    summary:
      "Reply on the conversation's channel: stored as queued, sent by the outbound queue; 422 when the channel's rules forbid it (e.g. WhatsApp's 24-hour window)",
    tag: TAG,
    access: 'conversations.reply',
    params: idParams,
    body: replySchema,
    status: 202,
    async handler({ params, body, user, services }) {
      const conversation = await findVisibleConversation(services, user, params.id);
      let media;
      if (body.fileId) {
        const file = await fileModel(services.db).findById(body.fileId).lean();
        if (!file) throw notFound('File');
        media = {
          fileId: body.fileId,
          kind: mediaKindOf(file.mimeType),
          mimeType: file.mimeType,
          fileName: file.fileName,
          size: file.size,
        };
        // The file now belongs to this conversation: whoever sees it may open the file.
        await fileModel(services.db).updateOne(
          { _id: file._id, conversationId: { $exists: false } },
          { $set: { conversationId: conversation._id, contactId: conversation.contactId } },
        );
      }
      const queued = await queueMessage(services, {
        conversationId: params.id,
        message: {
          ...(body.text ? { text: body.text } : {}),
          ...(media ? { media } : {}),
          ...(body.buttons ? { buttons: body.buttons } : {}),
          ...(body.template ? { template: body.template } : {}),
        },
        author: { kind: 'user', id: user.id, name: user.name },
      });
      if (!conversation.assigneeId) await takeOnReply(services, user, params.id);
      return queued;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/contacts/:id/timeline',
    summary:
      "A contact's history on every channel, newest first: messages, notes, tasks, form and partner leads, deal stage changes",
    tag: TAG,
    access: 'conversations.read',
    params: idParams,
    query: listQuerySchema.omit({ q: true }),
    async handler({ params, query, user, services }) {
      const contact = await contactModels(services.db)
        .Contact.findById(params.id, { ownerId: 1, teamIds: 1, status: 1 })
        .lean();
      if (!contact || contact.status === 'deleted' || !contactIsVisible(user, contact)) throw notFound('Contact');
      return contactTimeline(services, params.id, { limit: query.limit, cursor: query.cursor });
    },
  }),
];
