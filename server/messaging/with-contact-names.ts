import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { contactModels, type ContactRecord } from '../contacts/contact-models.js';
import type { ConversationView } from './message-views.js';

export type NamedConversationView = ConversationView & { contactName?: string };

/**
 * Conversation (or deal) views with what their contact is called (the name, else a phone or an e-mail), read
 * in one query for a whole page: the inbox list would otherwise open every contact's card, and card
 * reads count toward the hourly read-burst alert.
 */
export async function withContactNames<T extends { contactId?: string }>(
  services: Pick<ApiServices, 'db'>,
  views: T[],
): Promise<(T & { contactName?: string })[]> {
  if (views.length === 0) return views;
  const ids = [...new Set(views.flatMap((view) => (view.contactId ? [view.contactId] : [])))].map(
    (id) => new Types.ObjectId(id),
  );
  const rows = await contactModels(services.db)
    .Contact.find({ _id: { $in: ids } }, { name: 1, phones: 1, emails: 1 })
    .lean<Pick<ContactRecord, '_id' | 'name' | 'phones' | 'emails'>[]>();
  const labels = new Map(
    rows.map((row) => [row._id.toHexString(), row.name || row.phones[0]?.raw || row.emails[0] || undefined]),
  );
  return views.map((view) => {
    const contactName = view.contactId && labels.get(view.contactId);
    return contactName ? { ...view, contactName } : view;
  });
}
