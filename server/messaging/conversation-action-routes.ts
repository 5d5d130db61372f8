import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { Types } from 'mongoose';
import { decodeCursor, listQuerySchema, pageOf } from '../api/pagination.js';
import { noteModels, type NoteRecord } from '../notes/note-models.js';
import { toNoteView } from '../notes/to-note-view.js';
import { addConversationNote, conversationNoteSchema } from './add-conversation-note.js';
import { changeConversation } from './change-conversation.js';
import { findVisibleConversation } from './find-visible-conversation.js';
import { conversationChangeSchema } from './conversation-change-schema.js';
import { conversationScope } from './conversation-list-filter.js';
import { conversationModel } from './conversation-model.js';
import { markConversationRead } from './mark-conversation-read.js';

const TAG = 'conversations';
const idParams = z.strictObject({ id: objectIdSchema });

/** What operators do to a conversation: status, snooze, priority, labels, assignee, team, reading it. */
export const conversationActionRoutes: AnyRoute[] = [
  defineRoute({
    method: 'patch',
    path: '/conversations/:id',
    summary:
      "Change status (open, pending, snoozed with snoozedUntil, resolved), priority, labels, assignee, team or who answers (handler 'bot' hands it back to the bot); reassigning needs conversations.reassign",
    tag: TAG,
    access: 'conversations.reply',
    params: idParams,
    body: conversationChangeSchema,
    async handler({ params, body, user, services }) {
      return changeConversation(services, user, params.id, body);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/conversations/:id/read',
    summary: "The conversation was read: its unread count (the assignee's, or anyone's while unassigned) drops to 0",
    tag: TAG,
    access: 'conversations.read',
    params: idParams,
    async handler({ params, user, services }) {
      return markConversationRead(services, user, params.id);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/conversations/:id/notes',
    summary:
      'A private note in the conversation (also on the contact timeline), never sent to the person; mentioned users are notified',
    tag: TAG,
    access: 'notes.write',
    params: idParams,
    body: conversationNoteSchema,
    status: 201,
    async handler({ params, body, user, services }) {
      return addConversationNote(services, user, params.id, body);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/conversations/:id/notes',
    summary: "The conversation's private notes, newest first",
    tag: TAG,
    access: 'conversations.read',
    params: idParams,
    query: listQuerySchema.omit({ q: true }),
    async handler({ params, query, user, services }) {
      const conversation = await findVisibleConversation(services, user, params.id);
      const cursor = decodeCursor(query.cursor);
      const rows = await noteModels(services.db)
        .Note.find({
          conversationId: conversation._id,
          ...(cursor ? { _id: { $lt: new Types.ObjectId(cursor) } } : {}),
        })
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean<NoteRecord[]>();
      return pageOf(rows.map(toNoteView), query.limit);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/conversation-labels',
    summary: 'Labels on the conversations the user may see, with how many conversations carry each',
    tag: TAG,
    access: 'conversations.read',
    async handler({ user, services }) {
      const rows = await conversationModel(services.db).aggregate<{ _id: string; count: number }>([
        { $match: { ...conversationScope(user), labels: { $exists: true, $ne: [] } } },
        { $unwind: '$labels' },
        { $group: { _id: '$labels', count: { $sum: 1 } } },
        { $sort: { count: -1, _id: 1 } },
      ]);
      return { items: rows.map((row) => ({ label: row._id, count: row.count })) };
    },
  }),
];
