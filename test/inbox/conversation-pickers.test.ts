import { describe, expect, it } from 'vitest';
import {
  assigneeCandidates,
  teamCandidates,
  type Colleague,
} from '../../inbox/src/lib/conversation/assignee-options.js';
import { labelSuggestions, normalizeLabel } from '../../inbox/src/lib/conversation/label-suggestions.js';
import { replyTargets } from '../../inbox/src/lib/conversation/reply-targets.js';
import type { ConversationView } from '../../inbox/src/lib/inbox-views.js';

const person = (id: string, name: string, role: Colleague['role'], teamIds: string[], active = true): Colleague => ({
  id,
  name,
  email: `${id}@example.ru`,
  role,
  teamIds,
  active,
});

const users = [
  person('op-sales', 'Олег Смирнов', 'operator', ['sales']),
  person('op-support', 'Ирина Петрова', 'operator', ['support']),
  person('manager', 'Анна Кузнецова', 'manager', []),
  person('marketer', 'Борис Маркетов', 'marketer', ['sales']),
  person('gone', 'Глеб Уволенный', 'operator', ['sales'], false),
  person('me', 'Мария Иванова', 'operator', ['sales']),
];

function conversation(id: string, channel: string, extra: Partial<ConversationView> = {}): ConversationView {
  return {
    id,
    contactId: 'contact',
    channel,
    channelAccountId: `account-${channel}`,
    status: 'open',
    handler: 'human',
    teamIds: [],
    lastMessageAt: '2026-11-20T10:00:00.000Z',
    unreadCount: 0,
    unreachable: false,
    createdAt: '2026-11-01T10:00:00.000Z',
    ...extra,
  };
}

describe('assignee picker', () => {
  it('should offer the active people who answer and see the conversation, the user first, then by name', () => {
    expect(assigneeCandidates(users, ['sales'], 'me', '').map((user) => user.id)).toEqual([
      'me',
      'manager',
      'op-sales',
    ]);
  });

  it('should match what was typed against names and e-mails', () => {
    expect(assigneeCandidates(users, ['sales'], 'me', 'олег').map((user) => user.id)).toEqual(['op-sales']);
    expect(assigneeCandidates(users, ['support'], undefined, 'support').map((user) => user.id)).toEqual(['op-support']);
  });

  it('should filter and sort teams by name', () => {
    const teams = [
      { id: 't1', name: 'Продажи' },
      { id: 't2', name: 'Поддержка' },
      { id: 't3', name: 'Замерщики' },
    ];
    expect(teamCandidates(teams, '').map((team) => team.id)).toEqual(['t3', 't2', 't1']);
    expect(teamCandidates(teams, 'прод').map((team) => team.id)).toEqual(['t1']);
  });
});

describe('label suggestions', () => {
  const known = [
    { label: 'vip', count: 3 },
    { label: 'ипотека', count: 12 },
    { label: 'ипотека-сбер', count: 2 },
    { label: 'рассрочка', count: 12 },
  ];

  it('should suggest the labels in use that the conversation lacks, the most used first', () => {
    expect(labelSuggestions(known, ['vip'], '')).toEqual(['ипотека', 'рассрочка', 'ипотека-сбер']);
    expect(labelSuggestions(known, ['ипотека'], ' ИПО')).toEqual(['ипотека-сбер']);
    expect(labelSuggestions(known, [], 'x')).toEqual([]);
  });

  it('should store a label trimmed and lower-cased, refusing an empty or overlong one', () => {
    expect(normalizeLabel('  VIP ')).toBe('vip');
    expect(normalizeLabel('   ')).toBeUndefined();
    expect(normalizeLabel('я'.repeat(51))).toBeUndefined();
  });
});

describe('reply channels', () => {
  it('should offer the conversation on screen first, then the channels the contact last wrote on', () => {
    const targets = replyTargets(
      [
        conversation('wa', 'whatsapp', { lastInboundAt: '2026-11-25T10:00:00.000Z' }),
        conversation('tg', 'telegram', { lastInboundAt: '2026-11-26T10:00:00.000Z' }),
        conversation('site', 'webchat', { lastInboundAt: '2026-11-01T10:00:00.000Z' }),
        conversation('call', 'voice'),
        conversation('blocked', 'telegram', { unreachable: true }),
      ],
      'site',
    );
    expect(targets.map((target) => target.id)).toEqual(['site', 'tg', 'wa']);
  });
});
