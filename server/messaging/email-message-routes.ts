import { Types } from 'mongoose';
import { z } from 'zod';
import { sanitizeEmailHtml } from '../../bot/email/sanitize-email-html.js';
import { notFound } from '../api/api-error.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { findVisibleConversation } from './find-visible-conversation.js';
import { messageModel, type MessageRecord } from './message-model.js';

const emailBodySchema = z.object({
  subject: z.string(),
  /** The whole text part, quoted history and signature included. */
  text: z.string(),
  /**
   * The HTML part, sanitised: no scripts, event handlers, javascript: links, frames, forms or
   * remote images. Show it in a sandboxed iframe all the same.
   */
  html: z.string().optional(),
  from: z.object({ address: z.string(), name: z.string().optional() }),
  to: z.array(z.object({ address: z.string(), name: z.string().optional() })),
  cc: z.array(z.object({ address: z.string(), name: z.string().optional() })),
  messageId: z.string(),
  inReplyTo: z.string().optional(),
  references: z.array(z.string()),
});

export const emailMessageRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/conversations/:id/messages/:messageId/email',
    summary: 'An e-mail\'s whole text and its sanitised HTML ("show full message"); lists carry only the trimmed text',
    tag: 'conversations',
    access: 'conversations.read',
    params: z.strictObject({ id: objectIdSchema, messageId: objectIdSchema }),
    response: emailBodySchema,
    async handler({ params, user, services }) {
      const conversation = await findVisibleConversation(services, user, params.id);
      const message = await messageModel(services.db)
        .findOne({ _id: new Types.ObjectId(params.messageId), conversationId: conversation._id })
        .lean<MessageRecord>();
      if (message?.content.kind !== 'email') throw notFound('E-mail');
      const { content } = message;
      return {
        subject: content.subject,
        text: content.fullText ?? content.text,
        // Sanitised when received; again here, so mail stored under an older policy gets today's.
        ...(content.html ? { html: sanitizeEmailHtml(content.html) } : {}),
        from: content.from,
        to: content.to,
        cc: content.cc,
        messageId: content.messageId,
        ...(content.inReplyTo ? { inReplyTo: content.inReplyTo } : {}),
        references: content.references,
      };
    },
  }),
];
