import { sendJson, type SendResult } from '../send-json';

/** A private note as `POST /conversations/:id/notes` answers it. */
export interface AddedNote {
  id: string;
  text: string;
  authorName: string;
  createdAt: string;
}

/** Adds a private note to the conversation; the people it @mentions are notified. Never reaches the client. */
export function addNote(
  conversationId: string,
  note: { text: string; mentionedUserIds: string[] },
  csrfToken?: string,
): Promise<SendResult<AddedNote>> {
  return sendJson<AddedNote>(
    'POST',
    `/api/v1/conversations/${encodeURIComponent(conversationId)}/notes`,
    note,
    csrfToken,
  );
}
