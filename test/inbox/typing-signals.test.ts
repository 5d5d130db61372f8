import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyTyping, currentTypists, TYPING_TTL_MS } from '../../inbox/src/lib/conversation/typing-people.js';
import { TypingThrottle } from '../../inbox/src/lib/conversation/typing-throttle.js';

describe('typing throttle', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('should say "typing" at the first key and at most every interval while keys keep coming', () => {
    const sent: boolean[] = [];
    const throttle = new TypingThrottle((typing) => sent.push(typing), 3000, 4000);
    throttle.keystroke();
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(250);
      throttle.keystroke();
    }
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(500);
    throttle.keystroke();
    expect(sent).toEqual([true, true]);
  });

  it('should say "stopped" once after a pause, and again only after new typing', () => {
    const sent: boolean[] = [];
    const throttle = new TypingThrottle((typing) => sent.push(typing), 3000, 4000);
    throttle.keystroke();
    vi.advanceTimersByTime(3999);
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([true, false]);
    throttle.stop();
    expect(sent).toEqual([true, false]);
    throttle.keystroke();
    expect(sent).toEqual([true, false, true]);
  });

  it('should say "stopped" at once when the reply is sent, and nothing for a composer never typed in', () => {
    const sent: boolean[] = [];
    const throttle = new TypingThrottle((typing) => sent.push(typing));
    throttle.stop();
    expect(sent).toEqual([]);
    throttle.keystroke();
    throttle.stop();
    vi.advanceTimersByTime(10_000);
    expect(sent).toEqual([true, false]);
  });
});

describe('who is typing', () => {
  const now = 1_000_000;
  const colleague = { conversationId: 'c1', typing: true, who: 'user' as const, user: { id: 'u2', name: 'Олег' } };
  const client = { conversationId: 'c1', typing: true, who: 'contact' as const };

  it('should show the client and colleagues typing in this conversation, not the user’s own signal', () => {
    let typists = applyTyping([], client, 'c1', 'u1', now);
    typists = applyTyping(typists, colleague, 'c1', 'u1', now);
    typists = applyTyping(typists, { ...colleague, user: { id: 'u1', name: 'Мария' } }, 'c1', 'u1', now);
    typists = applyTyping(typists, { ...client, conversationId: 'c2' }, 'c1', 'u1', now);
    expect(typists).toEqual([
      { key: 'contact', until: now + TYPING_TTL_MS },
      { key: 'u2', name: 'Олег', until: now + TYPING_TTL_MS },
    ]);
  });

  it('should drop someone who stopped, and anyone whose signal ran out', () => {
    let typists = applyTyping([], client, 'c1', 'u1', now);
    typists = applyTyping(typists, colleague, 'c1', 'u1', now + 5000);
    expect(applyTyping(typists, { ...client, typing: false }, 'c1', 'u1', now + 6000).map((t) => t.key)).toEqual([
      'u2',
    ]);
    expect(currentTypists(typists, now + TYPING_TTL_MS).map((t) => t.key)).toEqual(['u2']);
    // A renewed signal keeps one entry per person.
    expect(applyTyping(typists, colleague, 'c1', 'u1', now + 7000).filter((t) => t.key === 'u2')).toHaveLength(1);
  });
});
