import { describe, expect, it } from 'vitest';
import { evaluateCondition } from '../../flows/engine/evaluate-condition.js';
import type { FlowEvent } from '../../flows/engine/flow-event-schema.js';
import { matchesTrigger } from '../../flows/engine/match-trigger.js';
import { parseAnswer } from '../../flows/engine/parse-answer.js';
import { renderTemplate } from '../../flows/engine/render-template.js';
import { listTimedTriggers } from '../../flows/engine/timed-triggers.js';
import type { Condition } from '../../flows/schema/condition-schema.js';
import { defineFlow, SUBJECT } from './flow-fixtures.js';

const scope = {
  contact: { name: 'Анна', tags: ['vip', 'telegram'], email: '' },
  deal: { amount: 150000, stage: 'measured', fields: { measure_at: '2025-03-05T08:00:00.000Z', budget: '200000' } },
  system: { channel: 'whatsapp', businessHours: true },
};
const context = { now: new Date('2025-03-03T12:00:00Z'), timeZone: 'Europe/Moscow' };
const check = (condition: Condition) => evaluateCondition(condition, scope, context);

describe('conditions', () => {
  it.each<[string, Condition, boolean]>([
    ['eq', { path: 'deal.stage', op: 'eq', value: 'measured' }, true],
    ['eq across types', { path: 'deal.fields.budget', op: 'eq', value: 200000 }, true],
    ['ne on a missing value', { path: 'deal.title', op: 'ne', value: 'x' }, true],
    ['gt', { path: 'deal.amount', op: 'gt', value: 100000 }, true],
    ['lte numeric text', { path: 'deal.fields.budget', op: 'lte', value: 199999 }, false],
    ['contains in a list', { path: 'contact.tags', op: 'contains', value: 'vip' }, true],
    ['contains in text, any case', { path: 'contact.name', op: 'contains', value: 'АН' }, true],
    ['notContains', { path: 'contact.tags', op: 'notContains', value: 'no-offers' }, true],
    ['in', { path: 'system.channel', op: 'in', value: ['telegram', 'whatsapp'] }, true],
    ['notIn', { path: 'deal.stage', op: 'notIn', value: ['won', 'lost'] }, true],
    ['set', { path: 'contact.name', op: 'set' }, true],
    ['empty text', { path: 'contact.email', op: 'empty' }, true],
    ['regex', { path: 'contact.name', op: 'regex', value: '^ан' }, true],
    ['before now+3d', { path: 'deal.fields.measure_at', op: 'before', value: 'now+3d' }, true],
    ['after today', { path: 'deal.fields.measure_at', op: 'after', value: 'today' }, true],
    ['after an ISO date', { path: 'deal.fields.measure_at', op: 'after', value: '2025-03-06' }, false],
    ['within next 1d', { path: 'deal.fields.measure_at', op: 'within', value: { next: '1d' } }, false],
    ['within next 2d', { path: 'deal.fields.measure_at', op: 'within', value: { next: '2d' } }, true],
    ['within past 2d', { path: 'deal.fields.measure_at', op: 'within', value: { past: '2d' } }, false],
  ])('should evaluate %s', (_name, condition, expected) => {
    expect(check(condition)).toBe(expected);
  });

  it('should combine with all, any and not', () => {
    expect(
      check({
        all: [
          { path: 'system.businessHours', op: 'eq', value: true },
          { any: [{ path: 'deal.amount', op: 'lt', value: 10 }, { not: { path: 'contact.tags', op: 'empty' } }] },
        ],
      }),
    ).toBe(true);
  });
});

describe('placeholders', () => {
  const options = { timeZone: 'Europe/Moscow', language: 'ru' as const };

  it('should fill values, dates in the flow zone, money and defaults', () => {
    expect(
      renderTemplate(
        '{{contact.name}}: замер {{deal.fields.measure_at | datetime}} ({{deal.fields.measure_at | time}}), {{deal.amount | money}} ₽, {{contact.city | default: город не указан}}',
        scope,
        options,
      ),
    ).toBe('Анна: замер 05.03.2025 11:00 (11:00), 150\u00a0000 ₽, город не указан');
    expect(renderTemplate('{{deal.fields.measure_at | date}}', scope, { ...options, language: 'en' })).toBe(
      '2025-03-05',
    );
    expect(renderTemplate('{{contact.tags}} {{deal.missing}}!', scope, options)).toBe('vip, telegram !');
  });
});

describe('answers', () => {
  const buttons = [
    { id: 'yes', text: { ru: 'Да', en: 'Yes' } },
    { id: 'no', text: { ru: 'Нет' } },
  ];

  it.each<[Parameters<typeof parseAnswer>[0], string, string | number | undefined]>([
    ['phone', '8 (999) 123-45-67', '+79991234567'],
    ['phone', 'позвоните мне', undefined],
    ['email', 'Anna@Mail.RU', 'anna@mail.ru'],
    ['number', 'около 1,5 млн', 1500000],
    ['number', '3 или 4', undefined],
    ['date', '05.04', '2025-04-05'],
    ['date', '31.02.2025', undefined],
    ['date', 'завтра', '2025-03-04'],
    ['choice', 'нет', 'no'],
    ['choice', '1', 'yes'],
    ['choice', 'может быть', undefined],
    ['text', '  ', undefined],
  ])('should read a %s answer "%s"', (type, text, expected) => {
    const parsed = parseAnswer(type, { text }, buttons, '2025-03-03');
    expect(parsed.ok ? parsed.value : undefined).toBe(expected);
  });

  it('should take a pressed button over the text', () => {
    expect(parseAnswer('choice', { text: 'Да', buttonId: 'no' }, buttons, '2025-03-03')).toEqual({
      ok: true,
      value: 'no',
    });
  });
});

describe('triggers', () => {
  const received = (
    text: string,
    extra: Partial<Extract<FlowEvent, { type: 'message.received' }>> = {},
  ): FlowEvent => ({
    type: 'message.received',
    subject: SUBJECT,
    channel: 'telegram',
    text,
    first: false,
    ...extra,
  });

  it('should match keywords regardless of case and ё, a regex, the first message and channels', () => {
    expect(
      matchesTrigger({ type: 'message.received', mode: 'each', keywords: ['замер'] }, received('Хочу ЗАМЕР')),
    ).toBe(true);
    expect(matchesTrigger({ type: 'message.received', mode: 'each', keywords: ['еще'] }, received('ещё вопрос'))).toBe(
      true,
    );
    expect(matchesTrigger({ type: 'message.received', mode: 'each', regex: '\\d{2} ?м' }, received('дом 120 м²'))).toBe(
      true,
    );
    expect(matchesTrigger({ type: 'message.received', mode: 'first' }, received('привет'))).toBe(false);
    expect(matchesTrigger({ type: 'message.received', mode: 'first' }, received('привет', { first: true }))).toBe(true);
    expect(matchesTrigger({ type: 'message.received', mode: 'each', channels: ['whatsapp'] }, received('x'))).toBe(
      false,
    );
  });

  it('should read the Telegram /start payload, with a prefix pattern', () => {
    const trigger = { type: 'message.received' as const, mode: 'each' as const, startPayload: 'ad-*' };
    expect(matchesTrigger(trigger, received('/start ad-1042'))).toBe(true);
    expect(matchesTrigger(trigger, received('/start promo'))).toBe(false);
    expect(matchesTrigger(trigger, received('ad-1042'))).toBe(false);
  });

  it("should take a lead by its source's kind as well as by the whole source", () => {
    const lead = (source: string): FlowEvent => ({ type: 'lead.created', subject: SUBJECT, source });
    const fromForms = { type: 'lead.created' as const, sources: ['form', 'exhibition:ecoexpo'] };
    expect(matchesTrigger(fromForms, lead('form:Рассчитать стоимость'))).toBe(true);
    expect(matchesTrigger(fromForms, lead('exhibition:ecoexpo'))).toBe(true);
    expect(matchesTrigger(fromForms, lead('exhibition:stroyexpo'))).toBe(false);
    expect(matchesTrigger(fromForms, lead('formula:x'))).toBe(false);
    expect(matchesTrigger(fromForms, lead('telegram'))).toBe(false);
    expect(matchesTrigger({ type: 'lead.created', sources: ['telegram'] }, lead('telegram'))).toBe(true);
  });

  it('should only take deals already in a stage when the trigger says so', () => {
    const event: FlowEvent = {
      type: 'stage.entered',
      subject: SUBJECT,
      pipeline: 'sales',
      stage: 'new',
      existing: true,
    };
    expect(
      matchesTrigger({ type: 'stage.entered', pipeline: 'sales', stage: 'new', includeExisting: false }, event),
    ).toBe(false);
    expect(
      matchesTrigger({ type: 'stage.entered', pipeline: 'sales', stage: 'new', includeExisting: true }, event),
    ).toBe(true);
  });

  it('should match timed triggers by their parameters, spelled either way', () => {
    const event: FlowEvent = {
      type: 'date.reached',
      subject: SUBJECT,
      field: 'installment.dueAt',
      before: '72h',
      at: '10:00',
    };
    expect(matchesTrigger({ type: 'date', field: 'installment.dueAt', before: '72h', at: '10:00' }, event)).toBe(true);
    expect(matchesTrigger({ type: 'date', field: 'installment.dueAt', before: '3d', at: '10:00' }, event)).toBe(false);
    const noReply: FlowEvent = { type: 'noReply', subject: SUBJECT, waiting: 'operator', after: '60m' };
    expect(matchesTrigger({ type: 'noReply', waiting: 'operator', after: '1h' }, noReply)).toBe(true);
  });

  it('should list each timed trigger once for the executor', () => {
    const steps = [{ id: 'a', type: 'end' as const }];
    const first = defineFlow({ id: 'one', triggers: [{ type: 'appointment.upcoming', before: '1d' }], steps });
    const second = defineFlow({
      id: 'two',
      triggers: [
        { type: 'appointment.upcoming', before: '24h' },
        { type: 'date', field: 'deal.fields.measure_at', before: '1d', at: '18:00' },
      ],
      steps,
    });
    expect(listTimedTriggers([first, second, first]).map((spec) => spec.key)).toEqual([
      'appointment:-1d',
      'appointment:-24h',
      'date:deal.fields.measure_at-1d@18:00',
    ]);
  });
});
