import { describe, expect, it } from 'vitest';
import type { MessageView, TimelineItem } from '../../inbox/src/lib/inbox-views.js';
import { groupByDay, mergeTimeline, messageItem, updateMessage } from '../../inbox/src/lib/timeline.js';

let counter = 0;

function message(overrides: Partial<MessageView> = {}): MessageView {
  counter += 1;
  return {
    id: (0x2000 + counter).toString(16).padStart(24, '0'),
    conversationId: 'b'.repeat(24),
    contactId: 'c'.repeat(24),
    channel: 'webchat',
    channelAccountId: 'a'.repeat(24),
    direction: 'out',
    author: { kind: 'user', name: 'Андрей Соколов' },
    content: { kind: 'text', text: 'Добрый день!' },
    status: 'queued',
    createdAt: '2026-11-26T10:00:00.000Z',
    ...overrides,
  };
}

const ids = (items: TimelineItem[]) => items.map((item) => item.id);

describe('timeline', () => {
  it('should keep items oldest first whatever order the pages and pushes come in', () => {
    const [a, b, c] = [message(), message(), message()];
    const newestFirstPage = [c, b].map(messageItem);
    const merged = mergeTimeline(mergeTimeline([], newestFirstPage), [messageItem(a)]);
    expect(ids(merged)).toEqual([a.id, b.id, c.id]);
  });

  it('should show a message once when the composer and the socket both bring it', () => {
    const reply = message();
    const merged = mergeTimeline(mergeTimeline([], [messageItem(reply)]), [messageItem(reply)]);
    expect(merged).toHaveLength(1);
  });

  it('should apply status updates and never step back to an earlier status', () => {
    const reply = message({ status: 'queued' });
    let items = mergeTimeline([], [messageItem(reply)]);
    items = updateMessage(items, { ...reply, status: 'sent' });
    // The POST's "queued" answer can arrive after the socket's "sent".
    items = mergeTimeline(items, [messageItem({ ...reply, status: 'queued' })]);
    expect(items[0]).toMatchObject({ message: { status: 'sent' } });
    items = updateMessage(items, { ...reply, status: 'read' });
    expect(items[0]).toMatchObject({ message: { status: 'read' } });
  });

  it('should show a failure with its reason', () => {
    const reply = message({ status: 'sending' });
    const failed = { ...reply, status: 'failed' as const, failure: { code: 'blocked', reason: 'Bot was blocked' } };
    const items = updateMessage(mergeTimeline([], [messageItem(reply)]), failed);
    expect(items[0]).toMatchObject({ message: { status: 'failed', failure: { reason: 'Bot was blocked' } } });
  });

  it('should ignore an update for a message that is not on the timeline', () => {
    const items = mergeTimeline([], [messageItem(message())]);
    expect(updateMessage(items, message({ status: 'read' }))).toEqual(items);
  });

  it('should cut the timeline into days', () => {
    const morning = message({ createdAt: new Date(2026, 10, 25, 9, 0).toISOString() });
    const evening = message({ createdAt: new Date(2026, 10, 25, 21, 0).toISOString() });
    const next = message({ createdAt: new Date(2026, 10, 26, 8, 0).toISOString() });
    const days = groupByDay(mergeTimeline([], [morning, evening, next].map(messageItem)));
    expect(days.map((day) => [day.day, day.items.length])).toEqual([
      ['2026-11-25', 2],
      ['2026-11-26', 1],
    ]);
  });
});
