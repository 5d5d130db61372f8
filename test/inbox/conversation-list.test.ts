import { describe, expect, it } from 'vitest';
import {
  appendPage,
  byLastMessage,
  markRead,
  neighbour,
  upsertConversation,
} from '../../inbox/src/lib/conversation-list.js';
import type { ConversationView } from '../../inbox/src/lib/inbox-views.js';

let counter = 0;

function conversation(overrides: Partial<ConversationView> = {}): ConversationView {
  counter += 1;
  const id = (0x1000 + counter).toString(16).padStart(24, '0');
  return {
    id,
    contactId: `c${id.slice(1)}`,
    channel: 'webchat',
    channelAccountId: 'a'.repeat(24),
    status: 'open',
    handler: 'bot',
    teamIds: [],
    lastMessageAt: '2026-11-26T10:00:00.000Z',
    lastMessage: { direction: 'in', preview: 'Здравствуйте' },
    unreadCount: 1,
    unreachable: false,
    createdAt: '2026-11-26T10:00:00.000Z',
    ...overrides,
  };
}

describe('conversation list', () => {
  it('should keep the name the list read when a socket push of the same conversation has none', () => {
    const listed = conversation({ contactName: 'Анна Смирнова' });
    const pushed = { ...listed, lastMessageAt: '2026-11-26T12:00:00.000Z', contactName: undefined };
    expect(upsertConversation([listed], pushed, {})[0]).toMatchObject({
      contactName: 'Анна Смирнова',
      lastMessageAt: '2026-11-26T12:00:00.000Z',
    });
  });

  it('should put a new conversation from the socket at the top', () => {
    const older = conversation({ lastMessageAt: '2026-11-26T09:00:00.000Z' });
    const fresh = conversation({ lastMessageAt: '2026-11-26T11:00:00.000Z' });
    expect(upsertConversation([older], fresh, {}).map((item) => item.id)).toEqual([fresh.id, older.id]);
  });

  it('should replace a known conversation once, with its new preview and unread count, and reorder', () => {
    const first = conversation({ lastMessageAt: '2026-11-26T10:00:00.000Z' });
    const second = conversation({ lastMessageAt: '2026-11-26T09:00:00.000Z' });
    const updated = {
      ...second,
      lastMessageAt: '2026-11-26T12:00:00.000Z',
      lastMessage: { direction: 'in' as const, preview: 'Сколько стоит?' },
      unreadCount: 3,
    };
    const list = upsertConversation([first, second], updated, {});
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ id: second.id, unreadCount: 3, lastMessage: { preview: 'Сколько стоит?' } });
  });

  it('should keep the newer copy when an older one arrives late', () => {
    const known = conversation({ lastMessageAt: '2026-11-26T12:00:00.000Z', unreadCount: 4 });
    const stale = { ...known, lastMessageAt: '2026-11-26T11:00:00.000Z', unreadCount: 2 };
    expect(upsertConversation([known], stale, {})[0]?.unreadCount).toBe(4);
    expect(appendPage([known], [stale], {})).toEqual([known]);
  });

  it('should drop a conversation that leaves the filter and add one that enters it', () => {
    const open = conversation({ status: 'open' });
    const resolved = { ...open, status: 'resolved', lastMessageAt: '2026-11-26T13:00:00.000Z' };
    expect(upsertConversation([open], resolved, { status: 'open' })).toEqual([]);
    expect(upsertConversation([], resolved, { status: 'resolved' })).toEqual([resolved]);
    expect(upsertConversation([], conversation({ channel: 'telegram' }), { channel: 'sms' })).toEqual([]);
  });

  it('should show the open conversation as read whatever the server counts', () => {
    const open = conversation({ unreadCount: 2 });
    expect(upsertConversation([], open, {}, open.id)[0]?.unreadCount).toBe(0);
    expect(markRead([open], open.id)[0]?.unreadCount).toBe(0);
  });

  it('should append a further page without duplicates, ordered by last message', () => {
    const a = conversation({ lastMessageAt: '2026-11-26T10:00:00.000Z' });
    const b = conversation({ lastMessageAt: '2026-11-26T08:00:00.000Z' });
    const c = conversation({ lastMessageAt: '2026-11-26T09:00:00.000Z' });
    const list = appendPage([a, b], [b, c], {});
    expect(list.map((item) => item.id)).toEqual([a.id, c.id, b.id]);
    expect([...list].sort(byLastMessage)).toEqual(list);
  });

  it('should move to the previous and next conversation, stopping at the ends', () => {
    const items = [conversation(), conversation(), conversation()];
    const [first, second, third] = items.map((item) => item.id);
    expect(neighbour(items, undefined, 1)).toBe(first);
    expect(neighbour(items, first, 1)).toBe(second);
    expect(neighbour(items, third, -1)).toBe(second);
    expect(neighbour(items, third, 1)).toBeUndefined();
    expect(neighbour([], undefined, 1)).toBeUndefined();
  });
});
