import { Types } from 'mongoose';
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { decodeCursor, pageOf } from '../api/pagination.js';
import { addNote } from './add-note.js';
import { assertNoteTarget } from './assert-note-target.js';
import { noteModels, type NoteRecord } from './note-models.js';
import { noteInputSchema, noteListQuerySchema, noteViewSchema } from './note-schemas.js';
import { toNoteView } from './to-note-view.js';

const TAG = 'notes';

export const noteRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/notes',
    summary: "A record's notes, newest first (system notes included: merges, automations)",
    tag: TAG,
    // Whoever may read a contact may read its notes; the record's own scope is checked below.
    access: 'contacts.read',
    query: noteListQuerySchema,
    response: z.object({ items: z.array(noteViewSchema), nextCursor: z.string().optional() }),
    async handler({ query, user, services }) {
      await assertNoteTarget(services, user, query.entity, query.entityId);
      const cursor = decodeCursor(query.cursor);
      const rows = await noteModels(services.db)
        .Note.find({
          entity: query.entity,
          entityId: new Types.ObjectId(query.entityId),
          ...(cursor ? { _id: { $lt: new Types.ObjectId(cursor) } } : {}),
        })
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean<NoteRecord[]>();
      return pageOf(rows.map(toNoteView), query.limit);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/notes',
    summary: 'Add a note to a contact, company or deal',
    tag: TAG,
    access: 'notes.write',
    body: noteInputSchema,
    response: noteViewSchema,
    status: 201,
    async handler({ body, user, services }) {
      await assertNoteTarget(services, user, body.entity, body.entityId);
      return addNote(services, { ...body, author: user });
    },
  }),
];
