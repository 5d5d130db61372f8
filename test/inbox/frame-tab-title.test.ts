import { describe, expect, it } from 'vitest';
import { withUnreadCount } from '../../inbox/src/lib/frame/tab-title.js';

describe('withUnreadCount', () => {
  it('should put the count of new messages in front of the title', () => {
    expect(withUnreadCount('Входящие · Funnel Inbox', 3)).toBe('(3) Входящие · Funnel Inbox');
  });

  it('should leave the title alone when nothing is new', () => {
    expect(withUnreadCount('Входящие · Funnel Inbox', 0)).toBe('Входящие · Funnel Inbox');
    expect(withUnreadCount('Входящие · Funnel Inbox', -1)).toBe('Входящие · Funnel Inbox');
    expect(withUnreadCount('Входящие · Funnel Inbox', Number.NaN)).toBe('Входящие · Funnel Inbox');
  });

  it('should cap a long count so the page name stays readable on a narrow tab', () => {
    expect(withUnreadCount('Inbox · Funnel Inbox', 250)).toBe('(99+) Inbox · Funnel Inbox');
    expect(withUnreadCount('Inbox · Funnel Inbox', 99)).toBe('(99) Inbox · Funnel Inbox');
  });
});
