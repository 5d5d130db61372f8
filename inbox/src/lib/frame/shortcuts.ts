import type { frameRu } from '../messages/frame.js';

/** One key press: the key as `KeyboardEvent.key` names it (lower-cased letters) and its modifiers. */
export interface Chord {
  key: string;
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
  meta: boolean;
}

export type ShortcutGroup = 'navigation' | 'inbox' | 'composer' | 'general';

/**
 * A keyboard shortcut as the help overlay lists it. `keys` is written the way people read it:
 * chords joined by `+`, sequences by a space (`g i`: g, then i). `frame` ones are handled by the
 * app frame; the others by the view that owns the action (it adds its entry here and its label
 * under `shortcuts.*` in messages/frame.ts, so the help overlay stays the one list of every shortcut).
 */
export interface Shortcut {
  id: string;
  keys: string;
  label: keyof typeof frameRu & `shortcuts.${string}`;
  group: ShortcutGroup;
  handledBy: 'frame' | 'view';
}

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'go.inbox', keys: 'g i', label: 'shortcuts.goInbox', group: 'navigation', handledBy: 'frame' },
  { id: 'go.contacts', keys: 'g c', label: 'shortcuts.goContacts', group: 'navigation', handledBy: 'frame' },
  { id: 'go.deals', keys: 'g d', label: 'shortcuts.goDeals', group: 'navigation', handledBy: 'frame' },
  { id: 'go.tasks', keys: 'g t', label: 'shortcuts.goTasks', group: 'navigation', handledBy: 'frame' },
  { id: 'go.search', keys: 'g s', label: 'shortcuts.goSearch', group: 'navigation', handledBy: 'frame' },
  { id: 'search.focus', keys: '/', label: 'shortcuts.focusSearch', group: 'navigation', handledBy: 'frame' },
  {
    id: 'conversation.next',
    keys: 'Alt+ArrowDown',
    label: 'shortcuts.nextConversation',
    group: 'inbox',
    handledBy: 'view',
  },
  {
    id: 'conversation.previous',
    keys: 'Alt+ArrowUp',
    label: 'shortcuts.previousConversation',
    group: 'inbox',
    handledBy: 'view',
  },
  { id: 'reply.send', keys: 'Ctrl+Enter', label: 'shortcuts.send', group: 'composer', handledBy: 'view' },
  { id: 'help', keys: '?', label: 'shortcuts.help', group: 'general', handledBy: 'frame' },
  { id: 'dialog.close', keys: 'Escape', label: 'shortcuts.closeDialog', group: 'general', handledBy: 'view' },
];

type Modifier = 'ctrl' | 'alt' | 'shift' | 'meta';
const MODIFIERS: Record<string, Modifier> = {
  ctrl: 'ctrl',
  control: 'ctrl',
  alt: 'alt',
  option: 'alt',
  shift: 'shift',
  meta: 'meta',
  cmd: 'meta',
};

/** `'g i'` → two chords; `'Ctrl+Enter'` → one chord with ctrl. A `+` key itself is written `Plus`. */
export function parseShortcut(keys: string): Chord[] {
  const steps = keys.trim().split(/\s+/).filter(Boolean);
  if (steps.length === 0) throw new Error('A shortcut needs at least one key');
  return steps.map((step) => {
    const parts = step.split('+');
    const key = parts.pop();
    if (!key) throw new Error(`"${step}" ends with + but names no key`);
    const chord: Chord = {
      key: key === 'Plus' ? '+' : key.length === 1 ? key.toLowerCase() : key,
      ctrl: false,
      alt: false,
      shift: false,
      meta: false,
    };
    for (const part of parts) {
      const modifier = MODIFIERS[part.toLowerCase()];
      if (!modifier) throw new Error(`"${part}" in "${step}" is not a modifier`);
      chord[modifier] = true;
    }
    return chord;
  });
}

/** What the matcher reads of a keyboard event (a real `KeyboardEvent` fits). */
export interface KeyPress {
  key: string;
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

// Keys by position, so shortcuts work on a Russian layout too (g is «п» there, / is «.»).
function keyByPosition(press: KeyPress): string | undefined {
  if (/^Key[A-Z]$/.test(press.code)) return press.code.slice(3).toLowerCase();
  if (press.code === 'Slash') return press.shiftKey ? '?' : '/';
  return undefined;
}

function matches(chord: Chord, press: KeyPress): boolean {
  if (chord.ctrl !== press.ctrlKey || chord.alt !== press.altKey || chord.meta !== press.metaKey) return false;
  // A printed character already carries its Shift ("?" is Shift+/): only named keys compare it.
  if (chord.key.length > 1 && chord.shift !== press.shiftKey) return false;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  return key === chord.key || keyByPosition(press) === chord.key;
}

/** Whether typing goes somewhere: then single-key shortcuts must stay letters in the text. */
export function isTypingTarget(
  target: { tagName?: unknown; isContentEditable?: unknown; type?: unknown } | null,
): boolean {
  if (!target) return false;
  if (target.isContentEditable === true) return true;
  if (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  return target.tagName === 'INPUT' && !NOT_TYPED.includes(String(target.type));
}

const NOT_TYPED = ['checkbox', 'radio', 'button', 'submit', 'range'];

const SEQUENCE_TIMEOUT_MS = 1500;

/**
 * Turns key presses into shortcut ids, sequences included: after `g` it waits up to 1.5 s for the
 * next key. Presses inside text fields count only for chords with Ctrl, Alt or Meta.
 */
export class ShortcutMatcher {
  private readonly parsed: { id: string; chords: Chord[] }[];
  private pending: KeyPress[] = [];
  private pendingAt = 0;

  constructor(shortcuts: readonly Pick<Shortcut, 'id' | 'keys'>[]) {
    this.parsed = shortcuts.map((shortcut) => ({ id: shortcut.id, chords: parseShortcut(shortcut.keys) }));
  }

  press(press: KeyPress, typing: boolean, now = Date.now()): string | undefined {
    if (['Shift', 'Control', 'Alt', 'Meta'].includes(press.key)) return undefined;
    if (now - this.pendingAt > SEQUENCE_TIMEOUT_MS) this.pending = [];
    const withModifier = press.ctrlKey || press.altKey || press.metaKey;
    if (typing && !withModifier) {
      this.pending = [];
      return undefined;
    }
    // A key that does not continue the pending sequence may start one of its own (g x g i).
    const outcome = this.attempt([...this.pending, press]) ?? this.attempt([press]);
    this.pending = outcome?.type === 'started' ? outcome.sequence : [];
    this.pendingAt = now;
    return outcome?.type === 'matched' ? outcome.id : undefined;
  }

  private attempt(
    sequence: KeyPress[],
  ): { type: 'matched'; id: string } | { type: 'started'; sequence: KeyPress[] } | undefined {
    const full = this.parsed.find(
      ({ chords }) =>
        chords.length === sequence.length && chords.every((chord, index) => matches(chord, sequence[index]!)),
    );
    if (full) return { type: 'matched', id: full.id };
    const started = this.parsed.some(
      ({ chords }) => chords.length > sequence.length && sequence.every((step, index) => matches(chords[index]!, step)),
    );
    return started ? { type: 'started', sequence } : undefined;
  }
}
