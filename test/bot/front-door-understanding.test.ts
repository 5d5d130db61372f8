import { describe, expect, it } from 'vitest';
import { answerFromExtraction } from '../../bot/assistant/answers/answer-from-extraction.js';
import { extractOffline } from '../../bot/assistant/extract/extract-offline.js';
import { looksLikeQuestion } from '../../bot/assistant/faq/looks-like-question.js';
import { wantsPerson } from '../../bot/assistant/front-door/wants-person.js';
import { formatOpening } from '../../bot/assistant/handoff/format-opening.js';
import { nextBusinessOpening } from '../../bot/assistant/handoff/next-business-opening.js';

const context = { now: new Date('2025-03-05T20:30:00Z'), timeZone: 'Europe/Moscow' };
const buttons = [
  { id: 'windows', text: { ru: 'Окна' } },
  { id: 'balcony', text: { ru: 'Балкон' } },
];

/** The pure parts of the front door: which message asks for a person or asks a question, and what a message answers. */
describe('front-door understanding', () => {
  it('should hear a request for a person, and not a mention of people', () => {
    for (const text of [
      'оператор',
      '/human',
      'Позовите менеджера, пожалуйста',
      'I want to talk to a human',
      'человек!',
    ])
      expect(wantsPerson(text), text).toBe(true);
    for (const text of [
      'нас в семье пять человек и три комнаты',
      'Сколько стоит окно?',
      'менеджер уже звонил вчера вечером мне',
    ])
      expect(wantsPerson(text), text).toBe(false);
  });

  it('should tell a question from an answer', () => {
    for (const text of ['Сколько стоит окно?', 'есть ли рассрочка', 'Do you deliver', 'а гарантия есть?'])
      expect(looksLikeQuestion(text), text).toBe(true);
    for (const text of ['8 окон', 'ул. Мира 10', 'завтра после обеда', 'Иван'])
      expect(looksLikeQuestion(text), text).toBe(false);
  });

  it('should pick from one message the answers to the questions by where they are saved', () => {
    const extraction = extractOffline(
      'Нужны окна, 4 штуки, бюджет до 200 тыс, адрес: ул. Мира 10, тел. 8 912 000-11-22',
      context,
    );
    const answer = (question: Parameters<typeof answerFromExtraction>[0]) => answerFromExtraction(question, extraction);
    expect(answer({ answer: 'choice', saveTo: 'deal.fields.product', buttons })).toBe('windows');
    expect(answer({ answer: 'number', saveTo: 'deal.fields.window_count', buttons: [] })).toBe(4);
    expect(answer({ answer: 'number', saveTo: 'deal.fields.budget', buttons: [] })).toBe(200_000);
    expect(answer({ answer: 'text', saveTo: 'deal.fields.measurement_address', buttons: [] })).toBe('ул. Мира 10');
    expect(answer({ answer: 'phone', saveTo: 'contact.phone', buttons: [] })).toBe('+79120001122');
    // A free text that is not an address is never guessed from a whole message.
    expect(answer({ answer: 'text', saveTo: 'deal.fields.comment', buttons: [] })).toBeUndefined();
    expect(answer({ answer: 'date', saveTo: 'deal.fields.desired_date', buttons: [] })).toBeUndefined();
  });

  it('should not read a greeting as a date', () => {
    const question = { answer: 'date' as const, saveTo: 'deal.fields.desired_date', buttons: [] };
    expect(answerFromExtraction(question, extractOffline('Добрый день', context))).toBeUndefined();
    expect(answerFromExtraction(question, extractOffline('Good evening', { ...context }))).toBeUndefined();
    expect(answerFromExtraction(question, extractOffline('завтра после обеда', context))).toBe(
      '2025-03-06T14:00:00+03:00',
    );
  });

  it('should find the next opening of the business hours and say it in the client language', () => {
    const hours = [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '19:00' }];
    // Wednesday 23:30 in Moscow: Thursday 09:00.
    const opening = nextBusinessOpening(context.now, hours, context.timeZone)!;
    expect(opening.toISOString()).toBe('2025-03-06T06:00:00.000Z');
    expect(formatOpening(opening, context.now, context.timeZone, 'ru')).toBe('завтра в 09:00');
    expect(formatOpening(opening, context.now, context.timeZone, 'en')).toBe('tomorrow at 09:00');
    // Friday evening: Monday.
    const friday = new Date('2025-03-07T17:00:00Z');
    const monday = nextBusinessOpening(friday, hours, context.timeZone)!;
    expect(formatOpening(monday, friday, context.timeZone, 'ru')).toBe('в понедельник в 09:00');
    // Within the hours: now.
    expect(nextBusinessOpening(new Date('2025-03-05T08:00:00Z'), hours, context.timeZone)?.toISOString()).toBe(
      '2025-03-05T08:00:00.000Z',
    );
  });
});
