import { describe, expect, it } from 'vitest';
import { effectSchema, type Effect, type EffectOf, type EffectType } from '../../flows/engine/effect-schema.js';
import type { FlowEvent } from '../../flows/engine/flow-event-schema.js';
import { runStateSchema } from '../../flows/engine/run-state-schema.js';
import { startRun, step, type StepResult } from '../../flows/engine/step.js';
import type { FlowDefinition } from '../../flows/schema/flow-schema.js';
import { defineFlow, defineFlows, FakeClock, manual, message, SNAPSHOT, SUBJECT } from './flow-fixtures.js';

type Steps = Parameters<typeof defineFlow>[0]['steps'];

function of<T extends EffectType>(effects: readonly Effect[], type: T): EffectOf<T>[] {
  return effects.filter((effect): effect is EffectOf<T> => effect.type === type);
}

/** Starts a run at `iso` (Monday 2025-03-03 12:00 Moscow by default) and checks what comes out is valid. */
function start(definition: FlowDefinition, iso = '2025-03-03T09:00:00Z', event: FlowEvent = manual()) {
  const clock = new FakeClock(iso);
  if (event.type === 'wait.elapsed') throw new Error('not a trigger');
  return { clock, result: valid(startRun(definition, event, 'run1', clock)) };
}

function valid(result: StepResult): StepResult {
  runStateSchema.parse(result.state);
  for (const effect of result.effects) effectSchema.parse(effect);
  return result;
}

function wake(definition: FlowDefinition, previous: StepResult, clock: FakeClock, kind = 'delay'): StepResult {
  const wait = previous.state.waits.find((candidate) => candidate.kind === kind);
  if (!wait) throw new Error(`No ${kind} wait`);
  clock.set(wait.at);
  return valid(step(definition, previous.state, { type: 'wait.elapsed', waitId: wait.id }, clock));
}

const flow = (steps: Steps, extra: Partial<Parameters<typeof defineFlow>[0]> = {}) => defineFlow({ steps, ...extra });

describe('engine steps', () => {
  describe('send', () => {
    it('should render the text in the contact language with buttons and hints, into the conversation', () => {
      const definition = flow([
        {
          id: 'greet',
          type: 'send',
          text: { ru: 'Здравствуйте, {{contact.name}}!', en: 'Hello, {{contact.name}}!' },
          buttons: [
            { id: 'call', text: { ru: 'Позвоните', en: 'Call me' } },
            { text: { ru: 'Сайт' }, url: 'https://example.ru' },
          ],
          render: { email: { subject: { ru: 'Для {{contact.name}}' } }, telegram: { disablePreview: true } },
        },
      ]);
      const { result } = start(
        definition,
        '2025-03-03T09:00:00Z',
        manual({ ...SNAPSHOT, contact: { id: 'c1', name: 'Ann', language: 'en' } }),
      );
      expect(result.effects).toEqual([
        {
          type: 'sendMessage',
          id: 'run1.greet.1',
          stepId: 'greet',
          contactId: 'c1',
          conversationId: 'conv1',
          channel: 'telegram',
          language: 'en',
          purpose: 'message',
          text: 'Hello, Ann!',
          buttons: [
            { id: 'call', text: 'Call me', url: undefined },
            { id: undefined, text: 'Сайт', url: 'https://example.ru' },
          ],
          render: {
            telegram: { disablePreview: true },
            whatsapp: undefined,
            email: { subject: 'Для Ann' },
            sms: undefined,
          },
          whatsappTemplate: undefined,
        },
      ]);
      expect(result.state).toMatchObject({ status: 'completed', cursor: null });
    });

    it('should hold a message during quiet hours and send it at the opening', () => {
      const definition = flow([{ id: 'promo', type: 'send', text: { ru: 'Скидка!' } }]);
      // 23:30 in Moscow.
      const { clock, result } = start(definition, '2025-03-03T20:30:00Z');
      expect(result.effects).toEqual([
        {
          type: 'scheduleWait',
          id: 'run1.promo.1',
          stepId: 'promo',
          kind: 'quiet-hours',
          at: '2025-03-04T06:00:00.000Z',
        },
      ]);
      expect(result.state.status).toBe('waiting');
      const woken = wake(definition, result, clock, 'quiet-hours');
      expect(of(woken.effects, 'sendMessage').map((effect) => effect.text)).toEqual(['Скидка!']);
      expect(woken.state.status).toBe('completed');
    });

    it('should not hold a reply to the message the client just sent, nor a step that ignores quiet hours', () => {
      const reply = flow([{ id: 'ack', type: 'send', text: { ru: 'Приняли' } }], {
        triggers: [{ type: 'message.received', mode: 'each' }],
      });
      const night = '2025-03-03T20:30:00Z';
      expect(
        of(start(reply, night, { ...message('привет'), snapshot: SNAPSHOT }).result.effects, 'sendMessage'),
      ).toHaveLength(1);
      const code = flow([{ id: 'code', type: 'send', text: { ru: 'Код 1234' }, quietHours: 'ignore' }]);
      expect(of(start(code, night).result.effects, 'sendMessage')).toHaveLength(1);
    });

    it('should skip WhatsApp text outside the 24-hour window and use the template when there is one', () => {
      const closed = {
        ...SNAPSHOT,
        conversation: { id: 'conv1', channel: 'whatsapp' as const, lastInboundAt: '2025-02-01T00:00:00Z' },
      };
      const plain = flow([{ id: 'remind', type: 'send', text: { ru: 'Напоминание' } }]);
      const skipped = start(plain, '2025-03-03T09:00:00Z', manual(closed)).result;
      expect(skipped.effects).toEqual([]);
      expect(skipped.state.history.at(-1)?.result).toBe('skipped: WhatsApp window closed and no template');

      const templated = flow([
        {
          id: 'remind',
          type: 'send',
          text: { ru: 'Напоминание для {{contact.name}}' },
          whatsappTemplate: { name: 'reminder', language: 'ru', params: ['{{contact.name}}'] },
        },
      ]);
      const [sent] = of(start(templated, '2025-03-03T09:00:00Z', manual(closed)).result.effects, 'sendMessage');
      expect(sent).toMatchObject({
        channel: 'whatsapp',
        whatsappTemplate: { name: 'reminder', language: 'ru', params: ['Анна'] },
      });
    });
  });

  describe('ask', () => {
    const askFlow = flow([
      {
        id: 'phone',
        type: 'ask',
        question: { ru: 'Ваш телефон?' },
        answer: 'phone',
        saveTo: 'contact.phone',
        // The fixture's contact has a phone already: asked anyway, not skipped as answered.
        skipIfAnswered: false,
        retries: 1,
        timeout: '1d',
        reminder: { after: '2h', text: { ru: 'Напомните телефон, пожалуйста' } },
        onInvalid: 'failed',
        onTimeout: 'silent',
      },
      { id: 'thanks', type: 'send', text: { ru: 'Спасибо, {{contact.phone}}' }, next: 'done' },
      { id: 'failed', type: 'handoff', next: 'done' },
      { id: 'silent', type: 'notify', to: { type: 'owner' }, text: { ru: 'Клиент молчит' } },
      { id: 'done', type: 'end' },
    ]);

    it('should ask, then save a fitting answer to the field and go on', () => {
      const { clock, result } = start(askFlow);
      expect(of(result.effects, 'sendMessage')[0]).toMatchObject({ purpose: 'question', text: 'Ваш телефон?' });
      expect(of(result.effects, 'scheduleWait').map((wait) => [wait.kind, wait.at])).toEqual([
        ['reminder', '2025-03-03T11:00:00.000Z'],
        ['timeout', '2025-03-04T09:00:00.000Z'],
      ]);
      clock.set('2025-03-03T09:05:00Z');
      const answered = valid(step(askFlow, result.state, message('8 999 000-11-22'), clock));
      expect(answered.effects.map((effect) => effect.type)).toEqual([
        'cancelWait',
        'cancelWait',
        'setField',
        'sendMessage',
      ]);
      expect(of(answered.effects, 'setField')[0]).toMatchObject({
        entity: 'contact',
        recordId: 'c1',
        field: 'phone',
        value: '+79990001122',
      });
      expect(of(answered.effects, 'sendMessage')[0]?.text).toBe('Спасибо, +79990001122');
      expect(answered.state.status).toBe('completed');
    });

    it('should ask again after an answer that does not fit, then give up to onInvalid', () => {
      const { clock, result } = start(askFlow);
      clock.set('2025-03-03T09:05:00Z');
      const retry = valid(step(askFlow, result.state, message('не скажу'), clock));
      expect(of(retry.effects, 'sendMessage')[0]).toMatchObject({ purpose: 'retry' });
      expect(retry.state.status).toBe('waiting');
      const gaveUp = valid(step(askFlow, retry.state, message('всё равно не скажу'), clock));
      expect(gaveUp.effects.map((effect) => effect.type)).toEqual(['cancelWait', 'cancelWait', 'handoff']);
    });

    it('should remind once and time out to onTimeout', () => {
      const { clock, result } = start(askFlow);
      const reminded = wake(askFlow, result, clock, 'reminder');
      expect(of(reminded.effects, 'sendMessage')[0]).toMatchObject({
        purpose: 'reminder',
        text: 'Напомните телефон, пожалуйста',
      });
      const timedOut = wake(askFlow, reminded, clock, 'timeout');
      expect(of(timedOut.effects, 'notify')[0]?.text).toBe('Клиент молчит');
      expect(timedOut.state.status).toBe('completed');
    });
  });

  describe('branch and split', () => {
    it('should take the first branch that holds, else otherwise', () => {
      const definition = flow([
        {
          id: 'route',
          type: 'branch',
          branches: [
            { when: { path: 'deal.fields.budget', op: 'gte', value: 1000000 }, next: 'big' },
            { when: { path: 'deal.fields.budget', op: 'gte', value: 100000 }, next: 'medium' },
          ],
          otherwise: 'small',
        },
        { id: 'big', type: 'addTag', tags: ['big'], next: 'done' },
        { id: 'medium', type: 'addTag', tags: ['medium'], next: 'done' },
        { id: 'small', type: 'addTag', tags: ['small'] },
        { id: 'done', type: 'end' },
      ]);
      expect(of(start(definition).result.effects, 'addTags')[0]?.tags).toEqual(['medium']);
      const poor = manual({ ...SNAPSHOT, deal: { id: 'd1', fields: { budget: 10 } } });
      expect(of(start(definition, undefined, poor).result.effects, 'addTags')[0]?.tags).toEqual(['small']);
    });

    it('should split by weight, the same way for the same contact', () => {
      const definition = flow([
        {
          id: 'ab',
          type: 'split',
          variants: [
            { id: 'a', weight: 80, next: 'a' },
            { id: 'b', weight: 20, next: 'b' },
          ],
        },
        { id: 'a', type: 'addTag', tags: ['a'], next: 'done' },
        { id: 'b', type: 'addTag', tags: ['b'] },
        { id: 'done', type: 'end' },
      ]);
      const variantOf = (contactId: string, runId: string) => {
        const event = { ...manual(), subject: { contactId } };
        return of(startRun(definition, event, runId, new FakeClock('2025-03-03T09:00:00Z')).effects, 'addTags')[0]
          ?.tags[0];
      };
      expect(variantOf('c1', 'run1')).toBe(variantOf('c1', 'run2'));
      const shares = Array.from({ length: 1000 }, (_, index) => variantOf(`contact-${index}`, `run-${index}`));
      const a = shares.filter((variant) => variant === 'a').length;
      expect(a).toBeGreaterThan(750);
      expect(a).toBeLessThan(850);
    });
  });

  describe('wait and waitFor', () => {
    it('should wait until a date field, a day before at 18:00, then go on; a repeated timer changes nothing', () => {
      const definition = flow([
        { id: 'eve', type: 'wait', until: { field: 'deal.fields.measure_at', before: '1d' }, at: '18:00' },
        { id: 'remind', type: 'send', text: { ru: 'Завтра замер в {{deal.fields.measure_at | time}}' } },
      ]);
      const event = manual({ ...SNAPSHOT, deal: { id: 'd1', fields: { measure_at: '2025-03-10T08:00:00Z' } } });
      const { clock, result } = start(definition, '2025-03-03T09:00:00Z', event);
      expect(of(result.effects, 'scheduleWait')[0]?.at).toBe('2025-03-09T15:00:00.000Z');
      const woken = wake(definition, result, clock);
      expect(of(woken.effects, 'sendMessage')[0]?.text).toBe('Завтра замер в 11:00');
      const again = step(definition, woken.state, { type: 'wait.elapsed', waitId: 'run1.eve.1' }, clock);
      expect(again).toEqual({ state: woken.state, effects: [] });
    });

    it('should go straight on when the date is missing or already past', () => {
      const definition = flow([
        { id: 'eve', type: 'wait', until: { field: 'deal.fields.measure_at' } },
        { id: 'next', type: 'addTag', tags: ['x'] },
      ]);
      expect(start(definition).result.state.status).toBe('completed');
      const past = manual({ ...SNAPSHOT, deal: { id: 'd1', fields: { measure_at: '2025-01-01T00:00:00Z' } } });
      expect(start(definition, undefined, past).result.state.history.map((entry) => entry.result)).toContain(
        'the time has already come; going on',
      );
    });

    it('should leave waitFor on the awaited event (checked with when) or on timeout', () => {
      const definition = flow([
        {
          id: 'pay',
          type: 'waitFor',
          event: { type: 'payment.received' },
          when: { path: 'payment.amount', op: 'gte', value: 1000 },
          timeout: '3d',
          onTimeout: 'late',
        },
        { id: 'paid', type: 'addTag', tags: ['paid'], next: 'done' },
        { id: 'late', type: 'addTag', tags: ['late'] },
        { id: 'done', type: 'end' },
      ]);
      const { clock, result } = start(definition);
      const small: FlowEvent = { type: 'payment.received', subject: SUBJECT, snapshot: { payment: { amount: 10 } } };
      const ignored = valid(step(definition, result.state, small, clock));
      expect(ignored.effects).toEqual([]);
      const big: FlowEvent = { type: 'payment.received', subject: SUBJECT, snapshot: { payment: { amount: 5000 } } };
      const paid = valid(step(definition, ignored.state, big, clock));
      expect(paid.effects.map((effect) => effect.type)).toEqual(['cancelWait', 'addTags']);
      expect(of(wake(definition, result, clock, 'timeout').effects, 'addTags')[0]?.tags).toEqual(['late']);
    });
  });

  describe('record changes', () => {
    it('should set fields (typed copies, text, increments, variables) and tags, seeing its own changes', () => {
      const definition = flow([
        { id: 'copy', type: 'setField', path: 'deal.fields.budget', value: '{{deal.amount}}' },
        { id: 'note', type: 'setField', path: 'contact.fields.city', value: 'Москва, {{contact.name}}' },
        { id: 'count', type: 'setField', path: 'vars.touches', increment: 2 },
        { id: 'count-again', type: 'setField', path: 'vars.touches', increment: 1 },
        { id: 'tag', type: 'addTag', tags: ['lead', 'warm'] },
        { id: 'untag', type: 'removeTag', tags: ['lead'] },
        {
          id: 'check',
          type: 'branch',
          branches: [{ when: { path: 'vars.touches', op: 'eq', value: 3 }, next: 'yes' }],
        },
        {
          id: 'yes',
          type: 'notify',
          to: { type: 'owner' },
          text: { ru: '{{vars.touches}} {{contact.tags}} {{deal.fields.budget}}' },
        },
      ]);
      const event = manual({ ...SNAPSHOT, deal: { id: 'd1', amount: 99000, fields: {} } });
      const { result } = start(definition, undefined, event);
      expect(of(result.effects, 'setField').map((effect) => [effect.entity, effect.field, effect.value])).toEqual([
        ['deal', 'fields.budget', 99000],
        ['contact', 'fields.city', 'Москва, Анна'],
      ]);
      expect(of(result.effects, 'notify')[0]?.text).toBe('3 warm 99000');
      expect(result.state.vars).toEqual({ touches: 3 });
    });

    it('should move, copy, win and lose deals with the reason name', () => {
      const definition = flow([
        { id: 'move', type: 'moveStage', stage: 'measured' },
        { id: 'copy', type: 'copyDeal', pipeline: 'installments', stage: 'awaiting' },
        { id: 'win', type: 'markWon' },
        { id: 'lose', type: 'markLost', reason: 'expensive' },
      ]);
      expect(start(definition).result.effects.map(({ id: _id, stepId: _step, ...effect }) => effect)).toEqual([
        { type: 'moveStage', dealId: 'd1', pipeline: undefined, stage: 'measured' },
        { type: 'copyDeal', dealId: 'd1', pipeline: 'installments', stage: 'awaiting' },
        { type: 'markWon', dealId: 'd1' },
        { type: 'markLost', dealId: 'd1', reason: 'expensive', reasonName: { ru: 'Дорого', en: 'Too expensive' } },
      ]);
      // The history keeps a code and its values for the inbox to word, and the English line.
      expect(
        start(definition).result.state.history.filter((entry) => entry.step !== 'trigger' && entry.code !== 'end'),
      ).toMatchObject([
        {
          step: 'move',
          code: 'moved',
          params: { pipeline: 'sales', stage: 'measured' },
          result: 'moved to sales/measured',
        },
        { step: 'copy', code: 'copied', params: { pipeline: 'installments', stage: 'awaiting' } },
        { step: 'win', code: 'won', result: 'won' },
        { step: 'lose', code: 'lost', params: { reason: 'expensive' }, result: 'lost: expensive' },
      ]);
    });

    it('should skip deal steps when the run has no deal', () => {
      const definition = flow([{ id: 'move', type: 'moveStage', stage: 'measured' }]);
      const { result } = start(definition, undefined, {
        ...manual({ contact: SNAPSHOT.contact }),
        subject: { contactId: 'c1' },
      });
      expect(result.effects).toEqual([]);
      expect(result.state.history.at(-1)?.result).toBe('skipped: no deal');
    });
  });

  describe('people', () => {
    it('should create tasks for a team, a field and the owner with due times', () => {
      const definition = flow([
        {
          id: 'assign',
          type: 'createTask',
          title: { ru: 'Назначить замерщика для {{contact.name}}' },
          assignee: { type: 'team', team: 'measurers', pick: 'lead' },
          due: { in: '2h' },
        },
        {
          id: 'measure',
          type: 'createTask',
          kind: 'measurement',
          title: { ru: 'Замер' },
          assignee: { type: 'field', path: 'deal.fields.measurer_id' },
          due: { field: 'deal.fields.measure_at', before: '1h' },
        },
        { id: 'call', type: 'createTask', kind: 'call', title: { ru: 'Позвонить' }, due: { in: '1d', at: '10:00' } },
      ]);
      const event = manual({
        ...SNAPSHOT,
        deal: { id: 'd1', fields: { measurer_id: 'u-ivan', measure_at: '2025-03-10T08:00:00Z' } },
      });
      const tasks = of(start(definition, undefined, event).result.effects, 'createTask');
      expect(tasks.map((task) => [task.title, task.kind, task.assignee, task.dueAt])).toEqual([
        [
          'Назначить замерщика для Анна',
          'other',
          { type: 'team', team: 'measurers', pick: 'lead' },
          '2025-03-03T11:00:00.000Z',
        ],
        ['Замер', 'measurement', { type: 'user', user: 'u-ivan' }, '2025-03-10T07:00:00.000Z'],
        ['Позвонить', 'call', { type: 'owner' }, '2025-03-04T07:00:00.000Z'],
      ]);
    });

    it('should assign, hand off with a message, notify, call webhooks and link flows', () => {
      const [definition] = defineFlows([
        {
          id: 'main',
          steps: [
            { id: 'assign', type: 'assign', target: 'conversation', assignee: { type: 'role', role: 'manager' } },
            { id: 'handoff', type: 'handoff', message: { ru: 'Передаю менеджеру' }, note: { ru: 'Бот не справился' } },
            {
              id: 'hook',
              type: 'webhook',
              url: 'https://crm.example/hook',
              headers: { 'X-Deal': '{{deal.id}}' },
              body: { budget: '{{deal.fields.budget}}', name: '{{contact.name}}' },
            },
            { id: 'other', type: 'enroll', flow: 'other' },
            { id: 'stop', type: 'leave', flow: 'other' },
          ],
        },
        { id: 'other', steps: [{ id: 'x', type: 'end' }] },
      ]);
      if (!definition) throw new Error('No flow');
      const effects = start(definition, undefined, { ...manual(), flowId: 'main' }).result.effects;
      expect(effects.map((effect) => effect.type)).toEqual([
        'assign',
        'sendMessage',
        'handoff',
        'callWebhook',
        'enroll',
        'unenroll',
      ]);
      expect(of(effects, 'sendMessage')[0]).toMatchObject({ purpose: 'handoff', text: 'Передаю менеджеру' });
      expect(of(effects, 'handoff')[0]).toMatchObject({ note: 'Бот не справился', conversationId: 'conv1' });
      expect(of(effects, 'callWebhook')[0]).toMatchObject({
        method: 'POST',
        headers: { 'X-Deal': 'd1' },
        body: { budget: 150000, name: 'Анна' },
      });
      expect(of(effects, 'enroll')[0]).toMatchObject({ flowId: 'other', subject: SUBJECT });
    });
  });
});
