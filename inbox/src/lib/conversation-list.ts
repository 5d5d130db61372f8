import type { ConversationView } from './inbox-views.js';

/** What the list shows: a status tab (the API filters by it) and a channel (filtered here). */
export interface ListFilter {
  status?: string;
  channel?: string;
}

export function matchesFilter(conversation: ConversationView, filter: ListFilter): boolean {
  if (filter.status && conversation.status !== filter.status) return false;
  return !filter.channel || conversation.channel === filter.channel;
}

/** Most recent last message first; ties by id (newer conversations first), so the order is stable. */
export function byLastMessage(a: ConversationView, b: ConversationView): number {
  if (a.lastMessageAt !== b.lastMessageAt) return a.lastMessageAt < b.lastMessageAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** The one of two copies of a conversation that is further along (the socket may beat a page, or the reverse). */
function newer(known: ConversationView, incoming: ConversationView): ConversationView {
  if (incoming.lastMessageAt < known.lastMessageAt) return known;
  // Socket pushes carry no contact name: keep the one the list read.
  return incoming.contactName || !known.contactName ? incoming : { ...incoming, contactName: known.contactName };
}

/**
 * A conversation from the socket merged into the list: replaced where it was, dropped when it no
 * longer matches the filter (resolved while on the "open" tab), added when it now does, and the
 * list reordered by last message. The conversation open on screen has been read, whatever the count.
 */
export function upsertConversation(
  items: readonly ConversationView[],
  conversation: ConversationView,
  filter: ListFilter,
  openId?: string,
): ConversationView[] {
  const known = items.find((item) => item.id === conversation.id);
  const merged = known ? newer(known, conversation) : conversation;
  const rest = items.filter((item) => item.id !== conversation.id);
  if (!matchesFilter(merged, filter)) return rest;
  const shown = merged.id === openId && merged.unreadCount > 0 ? { ...merged, unreadCount: 0 } : merged;
  return [...rest, shown].sort(byLastMessage);
}

/** A further page appended: conversations already in the list (from the socket) keep their newer copy. */
export function appendPage(
  items: readonly ConversationView[],
  page: readonly ConversationView[],
  filter: ListFilter,
): ConversationView[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const conversation of page) {
    if (!matchesFilter(conversation, filter)) continue;
    const known = byId.get(conversation.id);
    byId.set(conversation.id, known ? newer(known, conversation) : conversation);
  }
  return [...byId.values()].sort(byLastMessage);
}

/** Opening a conversation reads it: its badge goes. */
export function markRead(items: readonly ConversationView[], id: string): ConversationView[] {
  return items.map((item) => (item.id === id && item.unreadCount > 0 ? { ...item, unreadCount: 0 } : item));
}

/** The conversation after (`1`) or before (`-1`) the given one, for Alt+↓ / Alt+↑. */
export function neighbour(
  items: readonly ConversationView[],
  id: string | undefined,
  step: 1 | -1,
): string | undefined {
  if (items.length === 0) return undefined;
  const index = items.findIndex((item) => item.id === id);
  if (index === -1) return items[step === 1 ? 0 : items.length - 1]?.id;
  return items[index + step]?.id;
}
