import * as z from 'zod/mini';
import type { ConversationView } from './inbox-views.js';

export const LIST_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export const LIST_PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;

const objectId = z.string().check(z.regex(/^[0-9a-f]{24}$/));

/**
 * What the list shows: the filters `GET /conversations` takes (server/messaging/conversation-list-filter.ts).
 * The same schema reads them from the address bar, where anyone can type anything.
 */
const listFilterSchema = z.object({
  status: z.optional(z.enum(LIST_STATUSES)),
  /** 'me', 'unassigned' or a user's id. */
  assignee: z.optional(z.union([z.enum(['me', 'unassigned']), objectId])),
  teamId: z.optional(objectId),
  label: z.optional(z.string().check(z.minLength(1), z.maxLength(50))),
  channel: z.optional(z.string().check(z.regex(/^[a-z]{2,20}$/))),
  priority: z.optional(z.enum(LIST_PRIORITIES)),
});

export type ListFilter = z.infer<typeof listFilterSchema>;
/** The query parameters the list owns, in the order they are written. */
export const LIST_FILTER_KEYS = ['status', 'assignee', 'teamId', 'label', 'channel', 'priority'] as const;

/** The filter in a query string (`?status=open&assignee=unassigned`); what does not parse is left out. */
export function filterFromQuery(query: URLSearchParams): ListFilter {
  const filter: ListFilter = {};
  for (const key of LIST_FILTER_KEYS) {
    const value = query.get(key);
    if (value === null) continue;
    const parsed = listFilterSchema.safeParse({ [key]: key === 'label' ? value.trim().toLowerCase() : value });
    if (parsed.success) Object.assign(filter, parsed.data);
  }
  return filter;
}

/** The filter as query parameters, for the address bar and for the API, in a fixed order. */
export function filterToQuery(filter: ListFilter): URLSearchParams {
  const query = new URLSearchParams();
  for (const key of LIST_FILTER_KEYS) {
    const value = filter[key];
    if (value) query.set(key, value);
  }
  return query;
}

/** How many filters besides the status tab are set: the count on the "Filters" button. */
export function extraFilterCount(filter: ListFilter): number {
  return LIST_FILTER_KEYS.filter((key) => key !== 'status' && filter[key]).length;
}

/** Whether a conversation belongs in the list; `userId` is whom 'me' means. */
export function matchesFilter(conversation: ConversationView, filter: ListFilter, userId: string): boolean {
  if (filter.status && conversation.status !== filter.status) return false;
  if (filter.assignee === 'unassigned' && conversation.assigneeId) return false;
  if (filter.assignee === 'me' && conversation.assigneeId !== userId) return false;
  if (filter.assignee && !['me', 'unassigned'].includes(filter.assignee) && conversation.assigneeId !== filter.assignee)
    return false;
  if (filter.teamId && !conversation.teamIds.includes(filter.teamId)) return false;
  if (filter.label && !(conversation.labels ?? []).includes(filter.label)) return false;
  if (filter.channel && conversation.channel !== filter.channel) return false;
  // Conversations stored before priorities existed have none, which reads as 'none' (as on the server).
  return !filter.priority || (conversation.priority ?? 'none') === filter.priority;
}

/**
 * Latest activity first; ties by id (newer conversations first): the order `GET /conversations`
 * pages in, so a page appended and a push merged land where the server would put them.
 */
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

/** Who looks at the list: whom 'me' means, and the conversation open on screen. */
export interface ListViewer {
  userId: string;
  openId?: string;
}

/**
 * A conversation from the socket merged into the list: replaced where it was, dropped when it no
 * longer matches the filter (resolved while on the "open" tab, taken by a colleague while in the
 * unassigned queue), added when it now does, and the list kept in order. The conversation open on
 * screen has been read, whatever the count.
 */
export function upsertConversation(
  items: readonly ConversationView[],
  conversation: ConversationView,
  filter: ListFilter,
  viewer: ListViewer,
): ConversationView[] {
  const known = items.find((item) => item.id === conversation.id);
  const merged = known ? newer(known, conversation) : conversation;
  const rest = items.filter((item) => item.id !== conversation.id);
  if (!matchesFilter(merged, filter, viewer.userId)) return rest;
  const shown = merged.id === viewer.openId && merged.unreadCount > 0 ? { ...merged, unreadCount: 0 } : merged;
  return [...rest, shown].sort(byLastMessage);
}

/** A further page appended: conversations already in the list (from the socket) keep their newer copy. */
export function appendPage(
  items: readonly ConversationView[],
  page: readonly ConversationView[],
  filter: ListFilter,
  userId: string,
): ConversationView[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const conversation of page) {
    if (!matchesFilter(conversation, filter, userId)) continue;
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
