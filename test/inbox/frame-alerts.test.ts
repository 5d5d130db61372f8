import { describe, expect, it } from 'vitest';
import { decideAlert, decideNotificationAlert, type AlertContext } from '../../inbox/src/lib/frame/decide-alert.js';
import { csatScore } from '../../inbox/src/lib/frame/csat-score.js';
import { splitTabBar } from '../../inbox/src/lib/frame/split-tab-bar.js';

const me = 'u-me';
const context = (overrides: Partial<AlertContext> = {}): AlertContext => ({
  userId: me,
  hidden: false,
  soundOn: true,
  permission: 'granted',
  ...overrides,
});
const inbound = { direction: 'in' as const, conversationId: 'c1' };

describe('decideAlert', () => {
  it("should count and chime for a client's message in my or an unassigned conversation", () => {
    expect(decideAlert(inbound, {}, context())).toEqual({ count: true, sound: true, notify: false });
    expect(decideAlert(inbound, { assigneeId: me }, context())).toEqual({ count: true, sound: true, notify: false });
  });

  it('should show a browser notification only while the tab is hidden and it is allowed', () => {
    expect(decideAlert(inbound, {}, context({ hidden: true }))).toEqual({ count: true, sound: true, notify: true });
    expect(decideAlert(inbound, {}, context({ hidden: true, permission: 'default' })).notify).toBe(false);
    expect(decideAlert(inbound, {}, context({ hidden: true, permission: 'denied' })).notify).toBe(false);
    expect(decideAlert(inbound, {}, context({ hidden: true, permission: 'unsupported' })).notify).toBe(false);
  });

  it('should keep quiet when the sound is off, but still count', () => {
    expect(decideAlert(inbound, {}, context({ soundOn: false }))).toEqual({ count: true, sound: false, notify: false });
  });

  it("should not alert for our own replies or a colleague's conversation", () => {
    const nothing = { count: false, sound: false, notify: false };
    expect(decideAlert({ direction: 'out', conversationId: 'c1' }, {}, context({ hidden: true }))).toEqual(nothing);
    expect(decideAlert(inbound, { assigneeId: 'u-other' }, context({ hidden: true }))).toEqual(nothing);
  });

  it('should not alert for the conversation on screen, unless the tab is hidden', () => {
    expect(decideAlert(inbound, {}, context({ openConversationId: 'c1' })).count).toBe(false);
    expect(decideAlert(inbound, {}, context({ openConversationId: 'c2' })).count).toBe(true);
    expect(decideAlert(inbound, {}, context({ openConversationId: 'c1', hidden: true }))).toEqual({
      count: true,
      sound: true,
      notify: true,
    });
  });
});

describe('decideNotificationAlert', () => {
  it('should leave an assignment to the bell while the tab is visible', () => {
    expect(decideNotificationAlert(context())).toEqual({ sound: false, notify: false });
  });

  it('should chime and show a browser notification while the tab is hidden, as allowed', () => {
    expect(decideNotificationAlert(context({ hidden: true }))).toEqual({ sound: true, notify: true });
    expect(decideNotificationAlert(context({ hidden: true, soundOn: false }))).toEqual({ sound: false, notify: true });
    expect(decideNotificationAlert(context({ hidden: true, permission: 'denied' }))).toEqual({
      sound: true,
      notify: false,
    });
  });
});

describe('splitTabBar', () => {
  it('should keep up to five sections as tabs', () => {
    expect(splitTabBar(['a', 'b', 'c', 'd', 'e'])).toEqual({ tabs: ['a', 'b', 'c', 'd', 'e'], more: [] });
  });

  it('should put the rest behind "More" when seven sections do not fit', () => {
    expect(splitTabBar(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toEqual({
      tabs: ['a', 'b', 'c', 'd'],
      more: ['e', 'f', 'g'],
    });
  });
});

describe('csatScore', () => {
  const tap = (payload: string) => ({
    direction: 'in' as const,
    content: { kind: 'button' as const, payload, text: '★' },
  });

  it("should read the score of a client's tap on a rating button", () => {
    expect(csatScore(tap('csat:0123456789abcdef01234567:5'))).toBe(5);
    expect(csatScore(tap('csat:0123456789abcdef01234567:1'))).toBe(1);
  });

  it('should leave every other message alone', () => {
    expect(csatScore(tap('csat:0123456789abcdef01234567:9'))).toBeUndefined();
    expect(csatScore(tap('b1'))).toBeUndefined();
    expect(
      csatScore({
        direction: 'out',
        content: { kind: 'button', payload: 'csat:0123456789abcdef01234567:5', text: '' },
      }),
    ).toBeUndefined();
    expect(
      csatScore({ direction: 'in', content: { kind: 'text', text: 'csat:0123456789abcdef01234567:5' } }),
    ).toBeUndefined();
  });
});
