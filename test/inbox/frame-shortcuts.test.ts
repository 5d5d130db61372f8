import { describe, expect, it } from 'vitest';
import {
  isTypingTarget,
  parseShortcut,
  SHORTCUTS,
  ShortcutMatcher,
  type KeyPress,
} from '../../inbox/src/lib/frame/shortcuts.js';

const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  code: /^[a-z]$/.test(key) ? `Key${key.toUpperCase()}` : '',
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  metaKey: false,
  ...extra,
});

describe('parseShortcut', () => {
  it('should read sequences, chords and single keys', () => {
    expect(parseShortcut('g i')).toEqual([
      { key: 'g', ctrl: false, alt: false, shift: false, meta: false },
      { key: 'i', ctrl: false, alt: false, shift: false, meta: false },
    ]);
    expect(parseShortcut('Ctrl+Enter')).toEqual([{ key: 'Enter', ctrl: true, alt: false, shift: false, meta: false }]);
    expect(parseShortcut('Alt+ArrowUp')).toEqual([
      { key: 'ArrowUp', ctrl: false, alt: true, shift: false, meta: false },
    ]);
    expect(parseShortcut('?')).toEqual([{ key: '?', ctrl: false, alt: false, shift: false, meta: false }]);
    expect(parseShortcut('Ctrl+Plus')[0]?.key).toBe('+');
  });

  it('should refuse what is not a shortcut', () => {
    expect(() => parseShortcut('  ')).toThrow();
    expect(() => parseShortcut('Hyper+k')).toThrow(/not a modifier/);
    expect(() => parseShortcut('Ctrl+')).toThrow();
  });

  it('should parse every entry of the shared table, each id once', () => {
    for (const shortcut of SHORTCUTS) expect(parseShortcut(shortcut.keys).length, shortcut.id).toBeGreaterThan(0);
    expect(new Set(SHORTCUTS.map((shortcut) => shortcut.id)).size).toBe(SHORTCUTS.length);
    expect(new Set(SHORTCUTS.map((shortcut) => shortcut.keys)).size).toBe(SHORTCUTS.length);
  });
});

describe('ShortcutMatcher', () => {
  const table = [
    { id: 'go.inbox', keys: 'g i' },
    { id: 'go.deals', keys: 'g d' },
    { id: 'search', keys: '/' },
    { id: 'help', keys: '?' },
    { id: 'send', keys: 'Ctrl+Enter' },
  ];

  it('should match a sequence typed within the pause, and forget one left unfinished', () => {
    const matcher = new ShortcutMatcher(table);
    expect(matcher.press(press('g'), false, 1000)).toBeUndefined();
    expect(matcher.press(press('d'), false, 1500)).toBe('go.deals');
    expect(matcher.press(press('g'), false, 2000)).toBeUndefined();
    expect(matcher.press(press('i'), false, 4000)).toBeUndefined();
  });

  it('should let a key that breaks a sequence start its own', () => {
    const matcher = new ShortcutMatcher(table);
    matcher.press(press('g'), false, 0);
    expect(matcher.press(press('x'), false, 10)).toBeUndefined();
    expect(matcher.press(press('g'), false, 20)).toBeUndefined();
    expect(matcher.press(press('i'), false, 30)).toBe('go.inbox');
    matcher.press(press('g'), false, 40);
    expect(matcher.press(press('/', { code: 'Slash' }), false, 50)).toBe('search');
  });

  it('should take ? with its Shift, and keys by position on a Russian layout', () => {
    const matcher = new ShortcutMatcher(table);
    expect(matcher.press(press('?', { shiftKey: true, code: 'Slash' }), false)).toBe('help');
    expect(matcher.press(press('п', { code: 'KeyG' }), false, 0)).toBeUndefined();
    expect(matcher.press(press('ш', { code: 'KeyI' }), false, 10)).toBe('go.inbox');
    expect(matcher.press(press('.', { code: 'Slash' }), false)).toBe('search');
    expect(matcher.press(press(',', { code: 'Slash', shiftKey: true }), false)).toBe('help');
  });

  it('should leave letters to text fields but still take chords with a modifier there', () => {
    const matcher = new ShortcutMatcher(table);
    expect(matcher.press(press('g'), true, 0)).toBeUndefined();
    expect(matcher.press(press('i'), true, 10)).toBeUndefined();
    expect(matcher.press(press('/'), true)).toBeUndefined();
    expect(matcher.press(press('Enter', { ctrlKey: true }), true)).toBe('send');
    expect(matcher.press(press('Enter'), false)).toBeUndefined();
    expect(matcher.press(press('i', { ctrlKey: true }), false)).toBeUndefined();
  });

  it('should ignore modifier keys pressed on their own', () => {
    const matcher = new ShortcutMatcher(table);
    matcher.press(press('g'), false, 0);
    expect(matcher.press(press('Shift', { shiftKey: true }), false, 5)).toBeUndefined();
    expect(matcher.press(press('i'), false, 10)).toBe('go.inbox');
  });
});

describe('isTypingTarget', () => {
  it('should tell text fields from other elements', () => {
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'search' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
