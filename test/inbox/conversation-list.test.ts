import { describe, expect, it } from 'vitest';
import {
  appendPage,
  byLastMessage,
  extraFilterCount,
  filterFromQuery,
  filterToQuery,
  markRead,
  matchesFilter,
  neighbour,
  upsertConversation,
} from '../../inbox/src/lib/conversation-list.js';
import type { ConversationView } from '../../inbox/src/lib/inbox-views.js';

let counter = 0;
const ME = 'e'.repeat(24);
const COLLEAGUE = 'f'.repeat(24);
const TEAM = 'd'.repeat(24);
const viewer = { userId: ME };

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
    expect(upsertConversation([listed], pushed, {}, viewer)[0]).toMatchObject({
      contactName: 'Анна Смирнова',
      lastMessageAt: '2026-11-26T12:00:00.000Z',
    });
  });

  it('should put a new conversation from the socket at the top', () => {
    const older = conversation({ lastMessageAt: '2026-11-26T09:00:00.000Z' });
    const fresh = conversation({ lastMessageAt: '2026-11-26T11:00:00.000Z' });
    expect(upsertConversation([older], fresh, {}, viewer).map((item) => item.id)).toEqual([fresh.id, older.id]);
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
    const list = upsertConversation([first, second], updated, {}, viewer);
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ id: second.id, unreadCount: 3, lastMessage: { preview: 'Сколько стоит?' } });
  });

  it('should keep the newer copy when an older one arrives late', () => {
    const known = conversation({ lastMessageAt: '2026-11-26T12:00:00.000Z', unreadCount: 4 });
    const stale = { ...known, lastMessageAt: '2026-11-26T11:00:00.000Z', unreadCount: 2 };
    expect(upsertConversation([known], stale, {}, viewer)[0]?.unreadCount).toBe(4);
    expect(appendPage([known], [stale], {}, ME)).toEqual([known]);
  });

  it('should drop a conversation that leaves the filter and add one that enters it', () => {
    const open = conversation({ status: 'open' });
    const resolved = { ...open, status: 'resolved', lastMessageAt: '2026-11-26T13:00:00.000Z' };
    expect(upsertConversation([open], resolved, { status: 'open' }, viewer)).toEqual([]);
    expect(upsertConversation([], resolved, { status: 'resolved' }, viewer)).toEqual([resolved]);
    expect(upsertConversation([], conversation({ channel: 'telegram' }), { channel: 'sms' }, viewer)).toEqual([]);
  });

  it('should show the open conversation as read whatever the server counts', () => {
    const open = conversation({ unreadCount: 2 });
    expect(upsertConversation([], open, {}, { userId: ME, openId: open.id })[0]?.unreadCount).toBe(0);
    expect(markRead([open], open.id)[0]?.unreadCount).toBe(0);
  });

  it('should append a further page without duplicates, ordered by last message', () => {
    const a = conversation({ lastMessageAt: '2026-11-26T10:00:00.000Z' });
    const b = conversation({ lastMessageAt: '2026-11-26T08:00:00.000Z' });
    const c = conversation({ lastMessageAt: '2026-11-26T09:00:00.000Z' });
    const list = appendPage([a, b], [b, c], {}, ME);
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
  it('should match each filter the server supports, so live pushes follow the same rules', () => {
    const mine = conversation({ assigneeId: ME, teamIds: [TEAM], labels: ['vip'], priority: 'high' });
    const queued = conversation({ status: 'snoozed' });
    const colleagues = conversation({ assigneeId: COLLEAGUE, channel: 'telegram' });
    const all = [mine, queued, colleagues];
    const shown = (filter: Parameters<typeof matchesFilter>[1]) =>
      all.filter((item) => matchesFilter(item, filter, ME)).map((item) => item.id);
    expect(shown({})).toEqual([mine.id, queued.id, colleagues.id]);
    expect(shown({ status: 'snoozed' })).toEqual([queued.id]);
    expect(shown({ assignee: 'me' })).toEqual([mine.id]);
    expect(shown({ assignee: 'unassigned' })).toEqual([queued.id]);
    expect(shown({ assignee: COLLEAGUE })).toEqual([colleagues.id]);
    expect(shown({ teamId: TEAM })).toEqual([mine.id]);
    expect(shown({ label: 'vip' })).toEqual([mine.id]);
    expect(shown({ channel: 'telegram' })).toEqual([colleagues.id]);
    expect(shown({ priority: 'high' })).toEqual([mine.id]);
    // Conversations from before priorities existed carry none: they read as 'none', as on the server.
    expect(shown({ priority: 'none' })).toEqual([queued.id, colleagues.id]);
    expect(shown({ assignee: 'me', label: 'vip', status: 'open' })).toEqual([mine.id]);
  });

  it('should drop a conversation from the unassigned queue when a colleague takes it, and add one handed back', () => {
    const waiting = conversation();
    const taken = { ...waiting, assigneeId: COLLEAGUE, lastMessageAt: '2026-11-26T10:01:00.000Z' };
    expect(upsertConversation([waiting], taken, { assignee: 'unassigned' }, viewer)).toEqual([]);
    const handedBack = { ...taken, assigneeId: undefined, lastMessageAt: '2026-11-26T10:02:00.000Z' };
    expect(upsertConversation([], handedBack, { assignee: 'unassigned' }, viewer)).toEqual([handedBack]);
    const labelled = { ...handedBack, labels: ['ипотека'] };
    expect(upsertConversation([labelled], { ...labelled, labels: [] }, { label: 'ипотека' }, viewer)).toEqual([]);
  });

  it('should order by last activity, newest first, ties by the newer id, as the API pages', () => {
    const old = conversation({ lastMessageAt: '2026-11-25T10:00:00.000Z' });
    const tieFirst = conversation({ lastMessageAt: '2026-11-26T10:00:00.000Z' });
    const tieSecond = conversation({ lastMessageAt: '2026-11-26T10:00:00.000Z' });
    const latest = conversation({ lastMessageAt: '2026-11-26T11:00:00.000Z' });
    expect([old, tieFirst, latest, tieSecond].sort(byLastMessage).map((item) => item.id)).toEqual([
      latest.id,
      tieSecond.id,
      tieFirst.id,
      old.id,
    ]);
  });

  it('should read the filter from the address bar, leaving out what does not parse, and write it back', () => {
    const filter = filterFromQuery(
      new URLSearchParams(
        `status=snoozed&assignee=unassigned&teamId=${TEAM}&label=%20VIP%20&channel=telegram&priority=urgent`,
      ),
    );
    expect(filter).toEqual({
      status: 'snoozed',
      assignee: 'unassigned',
      teamId: TEAM,
      label: 'vip',
      channel: 'telegram',
      priority: 'urgent',
    });
    expect(filterToQuery(filter).toString()).toBe(
      `status=snoozed&assignee=unassigned&teamId=${TEAM}&label=vip&channel=telegram&priority=urgent`,
    );
    expect(extraFilterCount(filter)).toBe(5);
    expect(filterFromQuery(new URLSearchParams('status=closed&assignee=$where&teamId=1&priority=&other=1'))).toEqual(
      {},
    );
    expect(filterFromQuery(new URLSearchParams(`assignee=${COLLEAGUE}`))).toEqual({ assignee: COLLEAGUE });
    expect(filterToQuery({}).toString()).toBe('');
  });
});
