import { describe, expect, it } from 'vitest';
import { HISTORY_NOTES, historyText } from '../../flows/engine/history-notes.js';
import { historyNote, type HistoryWords } from '../../inbox/src/lib/flows/history-note.js';
import { historyEn, historyRu } from '../../inbox/src/lib/messages/history.js';
import { effectWording, skipWording } from '../../inbox/src/lib/flows/skip-note.js';
import { stageNames } from '../../inbox/src/lib/flows/stage-names.js';
import type { Pipeline } from '../../inbox/src/lib/crm/deal-views.js';
import { skip } from '../../server/flows/skip-reasons.js';
import { effectSchema } from '../../flows/engine/effect-schema.js';

const sales: Pipeline = {
  id: '665f00000000000000000001',
  name: 'Продажи',
  kind: 'sales',
  systemKey: 'sales',
  stages: [{ id: 'measurement', name: 'Замер назначен', kind: 'open', order: 1 }],
  lostReasons: [],
  archived: false,
};

const words: HistoryWords = {
  when: (iso) => `[${iso.slice(0, 16)}]`,
  event: (type) => `<${type}>`,
  channel: (type) => `#${type}`,
  exitReason: (reason) => `(${reason})`,
  stage: (pipeline, stage) => stageNames([sales], pipeline, stage),
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

  it('should name the pipeline and stage a deal was moved to as the workspace calls them', () => {
    const at = '2026-03-05T10:00:00.000Z';
    expect(
      historyNote(
        {
          step: 'move',
          at,
          result: 'moved to sales/measurement',
          code: 'moved',
          params: { pipeline: 'sales', stage: 'measurement' },
        },
        words,
      ),
    ).toEqual({ key: 'flows.history.moved', params: { pipeline: 'Продажи', stage: 'Замер назначен' } });
    // A stage the workspace no longer has keeps the flow's own key.
    expect(stageNames([sales], 'sales', 'gone')).toEqual({ pipeline: 'Продажи', stage: 'gone' });
  });
});

describe('skipped flow effects in the inbox', () => {
  const at = '2026-03-05T10:00:00.000Z';
  const entry = (outcome: ReturnType<typeof skip>, effect = 'moveStage') => ({
    step: 's',
    effect,
    at,
    reason: outcome.skipped.text,
    code: outcome.skipped.code,
    ...(outcome.skipped.params ? { params: outcome.skipped.params } : {}),
  });

  it('should word every skip reason and every effect in Russian and English', () => {
    for (const code of ['dealGone', 'noPipeline', 'notAPhone', 'keyTaken', 'nobodyToNotify'] as const) {
      const wording = skipWording(entry(skip(code, { pipeline: 'x', value: 'x', field: 'x' } as never)), 'ru');
      expect('key' in wording && historyRu[wording.key as keyof typeof historyRu], code).toBeTypeOf('string');
    }
    for (const type of effectSchema.options.map((option) => option.shape.type.value)) {
      const key = `flows.effect.${type}` as keyof typeof historyRu;
      expect(historyRu[key], type).toBeTypeOf('string');
      expect(historyEn[key], type).toBeTypeOf('string');
      expect(effectWording(type)).toEqual({ key });
    }
    expect(skipWording(entry(skip('noPipeline', { pipeline: 'installments' })), 'ru')).toEqual({
      key: 'flows.skip.noPipeline',
      params: { pipeline: 'installments' },
    });
  });

  it('should word a refusal as the inbox words the same refusal of a person, and keep unknown reasons', () => {
    const refused = skip('refused', {
      code: 'conflict',
      message: 'The deal is being changed by someone else; try again',
    });
    expect(skipWording(entry(refused), 'ru')).toEqual({ key: 'errors.changedMeanwhile' });
    expect(skipWording({ step: 's', effect: 'notify', at, reason: 'something new', code: 'teleported' }, 'ru')).toEqual(
      {
        text: 'something new',
      },
    );
    expect(skipWording({ step: 's', effect: 'notify', at, reason: 'older server' }, 'ru')).toEqual({
      text: 'older server',
    });
  });
});
