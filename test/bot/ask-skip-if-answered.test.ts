import { describe, expect, it } from 'vitest';
import { startRun, step } from '../../flows/engine/step.js';
import { defineFlow, FakeClock, message, SNAPSHOT } from '../flows/flow-fixtures.js';

/**
 * The engine's side of "a client who writes everything in one message is not asked again": the
 * answers the executor found in a message (`found`) are saved, an ask step whose answer is known is
 * skipped (`skipIfAnswered`, on by default), and a message the bot answered itself (`answered`)
 * makes the waiting step ask again instead of counting a wrong answer. Pure: no servers.
 */
describe('ask steps that skip what is known', () => {
  const definition = defineFlow({
    triggers: [{ type: 'message.received' }],
    steps: [
      { id: 'city', type: 'ask', question: { ru: 'Город?' }, answer: 'text', saveTo: 'contact.fields.city' },
      { id: 'budget', type: 'ask', question: { ru: 'Бюджет?' }, answer: 'number', saveTo: 'deal.fields.budget' },
      { id: 'phone', type: 'ask', question: { ru: 'Телефон?' }, answer: 'phone', saveTo: 'contact.phone' },
      { id: 'name', type: 'ask', question: { ru: 'Имя?' }, answer: 'name', saveTo: 'vars.name', skipIfAnswered: false },
      { id: 'thanks', type: 'send', text: { ru: 'Спасибо, {{vars.name}} из {{contact.fields.city}}' } },
    ],
  });
  const clock = () => new FakeClock('2025-03-03T09:00:00Z');
  const questions = (effects: readonly { type: string }[]) =>
    effects.flatMap((effect) => (effect.type === 'sendMessage' && 'text' in effect ? [effect.text] : []));
  // The fixture's deal has a budget and its contact a phone already.
  const snapshot = { ...SNAPSHOT, contact: { ...SNAPSHOT.contact!, fields: {} } };

  it('should save what the first message gave and ask only what is still unknown', () => {
    const started = startRun(
      definition,
      message('Москва, Иван', { snapshot, found: { city: 'Москва' } }),
      'r1',
      clock(),
    );
    // City came with the message, budget and phone were known: the name is asked (it never skips).
    expect(questions(started.effects)).toEqual(['Имя?']);
    expect(started.effects).toContainEqual(
      expect.objectContaining({ type: 'setField', entity: 'contact', field: 'fields.city', value: 'Москва' }),
    );
    expect(started.state.history.map((entry) => entry.result)).toEqual(
      expect.arrayContaining(['answered in advance: Москва', 'skipped: already answered']),
    );
    const named = step(definition, started.state, message('Иван'), clock());
    expect(questions(named.effects)).toEqual(['Спасибо, Иван из Москва']);
  });

  it('should ask again without counting a wrong answer when the bot answered the message itself', () => {
    const started = startRun(definition, message('Привет', { snapshot }), 'r2', clock());
    expect(questions(started.effects)).toEqual(['Город?']);
    const asked = step(definition, started.state, message('Сколько стоит?', { answered: true }), clock());
    expect(questions(asked.effects)).toEqual(['Город?']);
    expect(asked.effects).toContainEqual(expect.objectContaining({ purpose: 'question' }));
    expect(asked.state.attempts.city).toBe(0);
  });
});
