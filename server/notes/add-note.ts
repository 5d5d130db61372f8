import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { recordAudit } from '../audit/record-audit.js';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import { noteModels, type NoteRecord } from './note-models.js';
import type { NoteEntity, NoteView } from './note-schemas.js';
import { toNoteView } from './to-note-view.js';
import { initModel } from '../db/init-model.js';

export interface NewNote {
  entity: NoteEntity;
  entityId: string;
  text: string;
  kind?: NoteRecord['kind'];
  /** The user writing it; null for the product itself. */
  author: { id: string; name: string } | null;
  /** One note per key however often the caller retries (see NoteRecord.dedupeKey). */
  dedupeKey?: string;
  /** Written in this conversation (see NoteRecord.conversationId). */
  conversationId?: string;
  mentionedUserIds?: string[];
  meta?: Record<string, unknown>;
}

/**
 * Adds a note to a record's timeline and to the audit log. With a dedupeKey the note is written
 * once: a retry finds the one already there and returns it.
 */
export async function addNote(services: Pick<ApiServices, 'db'>, note: NewNote): Promise<NoteView> {
  const { Note } = noteModels(services.db);
  await initModel(Note);
  const fields = {
    entity: note.entity,
    entityId: new Types.ObjectId(note.entityId),
    kind: note.kind ?? 'note',
    text: note.text,
    ...(note.author ? { authorId: new Types.ObjectId(note.author.id) } : {}),
    authorName: note.author?.name ?? '',
    ...(note.meta ? { meta: note.meta } : {}),
    ...(note.conversationId ? { conversationId: new Types.ObjectId(note.conversationId) } : {}),
    ...(note.mentionedUserIds?.length
      ? { mentionedUserIds: note.mentionedUserIds.map((id) => new Types.ObjectId(id)) }
      : {}),
  };
  if (note.dedupeKey) {
    const existing = await Note.findOne({ dedupeKey: note.dedupeKey }).lean<NoteRecord>();
    if (existing) return toNoteView(existing);
  }
  let stored: NoteRecord;
  try {
    stored = (await Note.create({ ...fields, ...(note.dedupeKey ? { dedupeKey: note.dedupeKey } : {}) })).toObject();
  } catch (error) {
    // Two retries raced: the other one wrote the note.
    const winner = isDuplicateKeyError(error)
      ? await Note.findOne({ dedupeKey: note.dedupeKey }).lean<NoteRecord>()
      : null;
    if (winner) return toNoteView(winner);
    throw error;
  }
  const created = toNoteView(stored);
  await recordAudit(services, {
    actor: note.author,
    action: 'note.create',
    entity: 'note',
    entityId: created.id,
    after: created,
  });
  return created;
}
