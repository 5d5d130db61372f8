import { describe, expect, it } from 'vitest';
import type { ConversationView } from '../../inbox/src/lib/inbox-views.js';
import { formatAge, slaAge, slaLevel, SLA_LATE_MS, SLA_WARN_MS } from '../../inbox/src/lib/sla-age.js';

const NOW = new Date('2026-11-26T12:00:00.000Z');

function conversation(overrides: Partial<ConversationView> = {}): ConversationView {
  return {
    id: 'a'.repeat(24),
    contactId: 'b'.repeat(24),
    channel: 'telegram',
    channelAccountId: 'c'.repeat(24),
    status: 'open',
    handler: 'human',
    teamIds: [],
    lastMessageAt: '2026-11-26T11:40:00.000Z',
    lastMessage: { direction: 'in', preview: 'Когда замер?' },
    lastInboundAt: '2026-11-26T11:40:00.000Z',
    unreadCount: 1,
    unreachable: false,
    createdAt: '2026-11-26T09:00:00.000Z',
    ...overrides,
  };
}

describe('SLA age', () => {
  it('should count from the client’s last message while it is unanswered', () => {
    expect(slaAge(conversation(), NOW)).toBe(20 * 60_000);
    expect(slaAge(conversation({ status: 'pending' }), NOW)).toBe(20 * 60_000);
  });

  it('should not count once we answered, nor for snoozed, resolved or empty conversations', () => {
    expect(slaAge(conversation({ lastMessage: { direction: 'out', preview: 'Завтра в 10' } }), NOW)).toBeUndefined();
    expect(slaAge(conversation({ status: 'snoozed' }), NOW)).toBeUndefined();
    expect(slaAge(conversation({ status: 'resolved' }), NOW)).toBeUndefined();
    expect(slaAge(conversation({ lastInboundAt: undefined }), NOW)).toBeUndefined();
  });

  it('should never go below zero when the client’s clock runs ahead', () => {
    expect(slaAge(conversation({ lastInboundAt: '2026-11-26T12:00:05.000Z' }), NOW)).toBe(0);
  });

  it('should turn amber at the warning threshold and red at the late one', () => {
    expect(slaLevel(SLA_WARN_MS - 1)).toBe('fresh');
    expect(slaLevel(SLA_WARN_MS)).toBe('warn');
    expect(slaLevel(SLA_LATE_MS - 1)).toBe('warn');
    expect(slaLevel(SLA_LATE_MS)).toBe('late');
  });

  it('should show the age in its largest whole unit in either language', () => {
    expect(formatAge(5 * 60_000 + 59_000, 'ru')).toBe('5 мин');
    expect(formatAge(3 * 3600_000 + 10 * 60_000, 'en')).toBe('3 hr');
    expect(formatAge(2 * 86400_000, 'en')).toBe('2 days');
  });
});
