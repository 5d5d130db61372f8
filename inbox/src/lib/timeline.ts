import type { MessageStatus, MessageView, TimelineItem } from './inbox-views.js';

/**
 * How far a message has gone. Pushes can arrive out of order (the socket's "sent" before the
 * POST's "queued" answer): a copy that is behind never replaces one that is ahead.
 */
const PROGRESS: Record<MessageStatus, number> = {
  received: 0,
  queued: 0,
  sending: 1,
  failed: 2,
  sent: 3,
  delivered: 4,
  read: 5,
};

export function messageItem(message: MessageView): TimelineItem {
  return { kind: 'message', id: message.id, at: message.createdAt, message };
}

function furtherAlong(known: TimelineItem, incoming: TimelineItem): TimelineItem {
  if (known.kind !== 'message' || incoming.kind !== 'message') return incoming;
  return PROGRESS[incoming.message.status] >= PROGRESS[known.message.status] ? incoming : known;
}

/**
 * Items merged into a timeline kept oldest first (ids are ObjectIds, which grow with time),
 * each id once: a page from "load earlier", a message from the socket or the composer.
 */
export function mergeTimeline(items: readonly TimelineItem[], incoming: readonly TimelineItem[]): TimelineItem[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const item of incoming) {
    const known = byId.get(item.id);
    byId.set(item.id, known ? furtherAlong(known, item) : item);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A `message.updated` push: the message's new status, if it is on this timeline. */
export function updateMessage(items: readonly TimelineItem[], message: MessageView): TimelineItem[] {
  if (!items.some((item) => item.id === message.id)) return [...items];
  return mergeTimeline(items, [messageItem(message)]);
}

export interface TimelineDay {
  /** `YYYY-MM-DD` in the viewer's time zone. */
  day: string;
  items: TimelineItem[];
}

function dayOf(iso: string): string {
  const date = new Date(iso);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The timeline cut into days, for the separators between them. */
export function groupByDay(items: readonly TimelineItem[]): TimelineDay[] {
  const days: TimelineDay[] = [];
  for (const item of items) {
    const day = dayOf(item.at);
    const last = days[days.length - 1];
    if (last?.day === day) last.items.push(item);
    else days.push({ day, items: [item] });
  }
  return days;
}
