import { Types } from 'mongoose';
import { z } from 'zod';
import { badRequest } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { can, type Role } from '../auth/permissions.js';
import { addNote } from '../notes/add-note.js';
import type { NoteView } from '../notes/note-schemas.js';
import { notifyUsers } from '../notifications/notify-users.js';
import { userModels } from '../users/user-models.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { conversationIsVisible, findVisibleConversation } from './find-visible-conversation.js';
import { toConversationView } from './message-views.js';

export const conversationNoteSchema = z.strictObject({
  text: z.string().trim().min(1).max(10_000),
  /** The users the note @mentions (the inbox's mention picker sends their ids); each is notified. */
  mentionedUserIds: z.array(objectIdSchema).max(20).default([]),
});
export type ConversationNoteInput = z.infer<typeof conversationNoteSchema>;

/** Mentioned users must be active and able to see the conversation: a mention must not leak it. */
async function mentionableUsers(
  services: Pick<ApiServices, 'db'>,
  ids: string[],
  conversation: Parameters<typeof conversationIsVisible>[2],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await userModels(services.db)
    .User.find({ _id: { $in: ids }, active: true }, { name: 1, email: 1, role: 1, teamIds: 1 })
    .lean();
  const refused: string[] = [...ids.filter((id) => !found.some((user) => user._id.toHexString() === id))];
  for (const user of found) {
    const role = user.role as Role;
    const asAuth: AuthUser = {
      id: user._id.toHexString(),
      name: user.name,
      email: user.email,
      role,
      teamIds: user.teamIds.map((id) => id.toHexString()),
    };
    if (!can(role, 'conversations.read') || !(await conversationIsVisible(services, asAuth, conversation)))
      refused.push(asAuth.id);
  }
  if (refused.length > 0) throw badRequest(errorTexts.say('mentionCannotSee'), { refused });
  return ids;
}

/**
 * A private note in a conversation: stored as a note on the contact (so it is on their timeline)
 * tied to the conversation, never a message, so no channel ever sends it. Each mentioned user
 * gets a stored notification and a push to their own room.
 */
export async function addConversationNote(
  services: Pick<ApiServices, 'db' | 'events'>,
  user: AuthUser,
  conversationId: string,
  input: ConversationNoteInput,
): Promise<NoteView> {
  const conversation = await findVisibleConversation(services, user, conversationId);
  const mentioned = await mentionableUsers(
    services,
    [...new Set(input.mentionedUserIds)].filter((id) => id !== user.id),
    conversation,
  );
  const note = await addNote(services, {
    entity: 'contact',
    entityId: conversation.contactId.toHexString(),
    text: input.text,
    author: { id: user.id, name: user.name },
    conversationId,
    ...(mentioned.length > 0 ? { mentionedUserIds: mentioned } : {}),
  });
  services.events.emit({ type: 'conversation.note', note, conversation: toConversationView(conversation) });
  await notifyUsers(services, mentioned, {
    kind: 'mention',
    actorId: new Types.ObjectId(user.id),
    actorName: user.name,
    conversationId: conversation._id,
    contactId: conversation.contactId,
    noteId: new Types.ObjectId(note.id),
    preview: input.text.slice(0, 200),
  });
  return note;
}
