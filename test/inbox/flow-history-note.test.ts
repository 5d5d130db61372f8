import { describe, expect, it } from 'vitest';
import { HISTORY_NOTES, historyText } from '../../flows/engine/history-notes.js';
import { historyNote, type HistoryWords } from '../../inbox/src/lib/flows/history-note.js';
import { historyEn, historyRu } from '../../inbox/src/lib/messages/history.js';

const words: HistoryWords = {
  when: (iso) => `[${iso.slice(0, 16)}]`,
  event: (type) => `<${type}>`,
  channel: (type) => `#${type}`,
  exitReason: (reason) => `(${reason})`,
};

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('flow run history in the inbox', () => {
  it('should have Russian and English words for every code the engine records, with its values', () => {
    for (const code of Object.keys(HISTORY_NOTES)) {
      const key = `flows.history.${code}` as keyof typeof historyRu;
      expect(historyRu[key], code).toBeTypeOf('string');
      // The engine's parameter names are what the inbox fills in: read them off the English line's maker.
      const source = HISTORY_NOTES[code as keyof typeof HISTORY_NOTES].toString();
      const used = [...source.matchAll(/p\.(\w+)/g)].map((match) => match[1]);
      // `goal` is folded into the reason by the inbox.
      const expected = [...new Set(used)].filter((name) => name !== 'goal').sort();
      expect(placeholders(historyRu[key]), code).toEqual(expected);
      expect(placeholders(historyEn[key]), code).toEqual(expected);
    }
  });

  it('should word an entry from its code and values, dates and names through the reader’s words', () => {
    const at = '2026-03-05T10:00:00.000Z';
    expect(
      historyNote(
        { step: 'wait', at, result: historyText('waitingUntil', { at }), code: 'waitingUntil', params: { at } },
        words,
      ),
    ).toEqual({ key: 'flows.history.waitingUntil', params: { at: '[2026-03-05T10:00]' } });
    expect(
      historyNote(
        { step: 'hello', at, result: 'sent (telegram)', code: 'sent', params: { channel: 'telegram' } },
        words,
      ),
    ).toEqual({ key: 'flows.history.sent', params: { channel: '#telegram' } });
    expect(
      historyNote(
        {
          step: 'trigger',
          at,
          result: 'started by stage.entered',
          code: 'started',
          params: { event: 'stage.entered' },
        },
        words,
      ),
    ).toEqual({ key: 'flows.history.started', params: { event: '<stage.entered>' } });
    expect(
      historyNote(
        { step: 'run', at, result: 'exited: goal paid', code: 'exited', params: { reason: 'goal', goal: 'paid' } },
        words,
      ),
    ).toEqual({ key: 'flows.history.exited', params: { reason: '(goal) (paid)', goal: 'paid' } });
  });

  it('should keep the server’s line for an entry without a code or with an unknown one', () => {
    const at = '2026-03-05T10:00:00.000Z';
    expect(historyNote({ step: 'x', at, result: 'waited' }, words)).toEqual({ text: 'waited' });
    expect(historyNote({ step: 'x', at, result: 'teleported', code: 'teleported' }, words)).toEqual({
      text: 'teleported',
    });
  });
});
