import { getJson } from './get-json';
import type { ConversationView, Page } from './inbox-views';

/**
 * Opens the contact's latest conversation in the Inbox (`#/inbox/<id>`); a contact who never wrote
 * has none, and their contact page opens instead.
 */
export async function openContactConversation(contactId: string): Promise<void> {
  const id = encodeURIComponent(contactId);
  try {
    const page = await getJson<Page<ConversationView>>(`/api/v1/conversations?contactId=${id}&limit=1`);
    const conversation = page.items[0];
    location.hash = conversation ? `#/inbox/${encodeURIComponent(conversation.id)}` : `#/contacts/${id}`;
  } catch {
    location.hash = `#/contacts/${id}`;
  }
}
