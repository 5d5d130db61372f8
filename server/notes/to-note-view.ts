import type { NoteRecord } from './note-models.js';
import type { NoteView } from './note-schemas.js';

export function toNoteView(note: NoteRecord): NoteView {
  return {
    id: note._id.toHexString(),
    entity: note.entity,
    entityId: note.entityId.toHexString(),
    kind: note.kind,
    text: note.text,
    ...(note.authorId ? { authorId: note.authorId.toHexString() } : {}),
    authorName: note.authorName,
    ...(note.conversationId ? { conversationId: note.conversationId.toHexString() } : {}),
    ...(note.mentionedUserIds?.length ? { mentionedUserIds: note.mentionedUserIds.map((id) => id.toHexString()) } : {}),
    ...(note.meta ? { meta: note.meta } : {}),
    createdAt: note.createdAt.toISOString(),
  };
}
