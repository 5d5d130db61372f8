import { describe, expect, it } from 'vitest';
import type { TaskItem } from '../../inbox/src/lib/crm-views.js';
import { summarizeMyDay } from '../../inbox/src/lib/my-day.js';
import type { ConversationView } from '../../inbox/src/lib/inbox-views.js';
import { taskDayLabel } from '../../inbox/src/lib/task-day-label.js';
import { groupTasksByDay, isDueToday, isOverdue, localDay } from '../../inbox/src/lib/task-days.js';

/** 26 November 2026, 15:00 on the machine's own clock: the operator's day is local. */
const NOW = new Date(2026, 10, 26, 15, 0);
const ME = 'aaaaaaaaaaaaaaaaaaaaaaaa';

function task(title: string, due: Date | undefined, extra: Partial<TaskItem> = {}): TaskItem {
  return {
    id: `${title}-id`,
    title,
    kind: 'other',
    assigneeId: ME,
    done: false,
    createdAt: new Date(2026, 10, 1).toISOString(),
    ...(due ? { dueAt: due.toISOString() } : {}),
    ...extra,
  };
}

describe('task days', () => {
  it('should call an open task past its time overdue, and a done or undated one not', () => {
    expect(isOverdue(task('late', new Date(2026, 10, 26, 14, 59)), NOW)).toBe(true);
    expect(isOverdue(task('later today', new Date(2026, 10, 26, 15, 1)), NOW)).toBe(false);
    expect(isOverdue(task('done', new Date(2026, 10, 20), { done: true }), NOW)).toBe(false);
    expect(isOverdue(task('undated', undefined), NOW)).toBe(false);
  });

  it('should count today by the local calendar day', () => {
    expect(isDueToday(task('morning', new Date(2026, 10, 26, 0, 1)), NOW)).toBe(true);
    expect(isDueToday(task('midnight', new Date(2026, 10, 27, 0, 0)), NOW)).toBe(false);
    expect(localDay(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });

  it('should group overdue first, then each day in order, then the undated', () => {
    const groups = groupTasksByDay(
      [
        task('next week', new Date(2026, 11, 2, 10, 0)),
        task('no date', undefined),
        task('yesterday', new Date(2026, 10, 25, 9, 0)),
        task('tonight', new Date(2026, 10, 26, 19, 0)),
        task('this afternoon', new Date(2026, 10, 26, 16, 0)),
        task('done yesterday', new Date(2026, 10, 25, 11, 0), { done: true }),
        task('earlier today', new Date(2026, 10, 26, 9, 0)),
      ],
      NOW,
    );
    expect(groups.map((group) => (group.key === 'day' ? group.day : group.key))).toEqual([
      'overdue',
      '2026-11-25',
      '2026-11-26',
      '2026-12-02',
      'undated',
    ]);
    expect(groups[0]?.tasks.map((item) => item.title)).toEqual(['yesterday', 'earlier today']);
    expect(groups[1]?.tasks.map((item) => item.title)).toEqual(['done yesterday']);
    expect(groups[2]?.tasks.map((item) => item.title)).toEqual(['this afternoon', 'tonight']);
  });

  it('should name the days around today and the weekday of the others, in both languages', () => {
    expect(taskDayLabel('2026-11-26', NOW, 'ru')).toBe('Сегодня');
    expect(taskDayLabel('2026-11-27', NOW, 'ru')).toBe('Завтра');
    expect(taskDayLabel('2026-11-25', NOW, 'en')).toBe('Yesterday');
    expect(taskDayLabel('2026-12-04', NOW, 'ru')).toBe('Пятница, 4 декабря');
    expect(taskDayLabel('2027-01-04', NOW, 'en')).toBe('Monday, January 4, 2027');
  });

  it('should give no groups for no tasks', () => {
    expect(groupTasksByDay([], NOW)).toEqual([]);
  });
});

describe('my day', () => {
  function conversation(id: string, extra: Partial<ConversationView>): ConversationView {
    return {
      id,
      contactId: `${id}-contact`,
      channel: 'telegram',
      channelAccountId: 'account',
      status: 'open',
      handler: 'human',
      assigneeId: ME,
      teamIds: [],
      lastMessageAt: new Date(2026, 10, 26, 12, 0).toISOString(),
      unreadCount: 0,
      unreachable: false,
      createdAt: new Date(2026, 10, 20).toISOString(),
      ...extra,
    };
  }

  it('should count my conversations, those waiting for my reply oldest first, and my overdue tasks', () => {
    const day = summarizeMyDay(
      [
        conversation('answered', { lastMessage: { direction: 'out', preview: 'Готово' } }),
        conversation('waiting-new', {
          lastMessage: { direction: 'in', preview: 'А цена?' },
          lastMessageAt: new Date(2026, 10, 26, 14, 0).toISOString(),
        }),
        conversation('waiting-old', {
          lastMessage: { direction: 'in', preview: 'Здравствуйте' },
          lastMessageAt: new Date(2026, 10, 26, 10, 0).toISOString(),
        }),
        conversation('pending', { status: 'pending', lastMessage: { direction: 'in', preview: 'Жду' } }),
        conversation('resolved', { status: 'resolved', lastMessage: { direction: 'in', preview: 'Спасибо' } }),
        conversation('colleague', { assigneeId: 'bbbbbbbbbbbbbbbbbbbbbbbb' }),
      ],
      [
        task('call back', new Date(2026, 10, 26, 11, 0)),
        task('send offer', new Date(2026, 10, 24, 11, 0)),
        task('future', new Date(2026, 10, 27, 11, 0)),
        task('theirs', new Date(2026, 10, 20, 11, 0), { assigneeId: 'bbbbbbbbbbbbbbbbbbbbbbbb' }),
      ],
      ME,
      NOW,
    );
    expect(day.assigned.map((item) => item.id)).toEqual(['waiting-new', 'answered', 'pending', 'waiting-old']);
    expect(day.waiting.map((item) => item.id)).toEqual(['waiting-old', 'waiting-new']);
    expect(day.overdue.map((item) => item.title)).toEqual(['send offer', 'call back']);
  });
});
