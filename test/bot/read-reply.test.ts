import { beforeAll, describe, expect, it } from 'vitest';
import { parseAnswer, type AnswerType } from '../../bot/assistant/extract/parse-answer.js';
import { KnowledgeIndex } from '../../bot/assistant/faq/knowledge-index.js';
import { looksLikeQuestion } from '../../bot/assistant/faq/looks-like-question.js';
import { readReply, type WaitingQuestion } from '../../bot/assistant/front-door/read-reply.js';

/** Wednesday 5 March 2025, 23:30 in Moscow. */
const clock = { now: new Date('2025-03-05T20:30:00Z'), timeZone: 'Europe/Moscow' };
const TIMING = [
  { id: 'this-season', text: { ru: 'В этом сезоне', en: 'This season' } },
  { id: 'next-year', text: { ru: 'В следующем году', en: 'Next year' } },
];

/** The question a flow waits on, read by the offline parser as the front door reads it. */
function waiting(answer: AnswerType, locale: 'ru' | 'en' = 'ru', choices = TIMING): WaitingQuestion {
  return { answer, read: (text) => parseAnswer(answer, text, { ...clock, locale, choices }) };
}

/**
 * A client's reply to a qualification question that is really a question of their own: the bot
 * answers it from the knowledge base and asks again, rather than store it as the answer; an answer
 * that only looks like a question stays an answer, and a message with both is both.
 */
describe('readReply', () => {
  let ecostroy: KnowledgeIndex;
  let windows: KnowledgeIndex;
  beforeAll(async () => {
    [ecostroy, windows] = await Promise.all([KnowledgeIndex.load('ecostroy'), KnowledgeIndex.load('windows')]);
  });
  const knows = (index: () => KnowledgeIndex, language: 'ru' | 'en') => (question: string) =>
    index().best(question, language) !== undefined;

  it('should read a question in place of the budget as a question, in Russian and English', () => {
    const ru = { waiting: waiting('number'), knows: knows(() => ecostroy, 'ru') };
    expect(readReply('а сколько стоит фундамент?', ru)).toEqual({
      type: 'question',
      question: 'а сколько стоит фундамент?',
    });
    expect(readReply('сколько стоит дом 120 м2', ru)).toEqual({
      type: 'question',
      question: 'сколько стоит дом 120 м2',
    });
    expect(readReply('есть ипотека?', ru)).toMatchObject({ type: 'question' });
    const en = { waiting: waiting('number', 'en'), knows: knows(() => ecostroy, 'en') };
    expect(readReply('How much is the foundation?', en)).toMatchObject({ type: 'question' });
    expect(readReply('Do you offer a mortgage', en)).toMatchObject({ type: 'question' });
  });

  it('should never take a question for a free-text answer, the one kind of answer that takes anything', () => {
    const plot = { waiting: waiting('text'), knows: knows(() => ecostroy, 'ru') };
    expect(readReply('а сколько стоит фундамент', plot)).toMatchObject({ type: 'question' });
    expect(readReply('где вы находитесь?', plot)).toMatchObject({ type: 'question' });
    expect(readReply('Where is your office?', { ...plot, waiting: waiting('text', 'en') })).toMatchObject({
      type: 'question',
    });
    expect(readReply('посёлок Ромашково, Одинцовский район', plot)).toEqual({ type: 'answer' });
  });

  it('should keep answers that start like a question or end with a question mark', () => {
    const ru = knows(() => ecostroy, 'ru');
    for (const [answer, text] of [
      ['number', 'где-то 150 квадратов'],
      ['number', '9 млн?'],
      ['name', 'Алексей?'],
      ['date', 'как можно скорее'],
      ['date', 'в пятницу?'],
      ['choice', 'в следующем году?'],
      ['text', 'как получится, лучше летом'],
    ] as const)
      expect(readReply(text, { waiting: waiting(answer), knows: ru }), text).toEqual({ type: 'answer' });
    const en = { waiting: waiting('number', 'en'), knows: knows(() => windows, 'en') };
    expect(readReply('about 8?', en)).toEqual({ type: 'answer' });
    expect(readReply('next year', { ...en, waiting: waiting('choice', 'en') })).toEqual({ type: 'answer' });
  });

  it('should read a question whether a day is free as the answer while a date is awaited, not a price question', () => {
    const ru = { waiting: waiting('date'), knows: knows(() => windows, 'ru') };
    for (const text of [
      'а в субботу можно?',
      'Есть ли время в субботу?',
      'Можно ли в пятницу в 11?',
      'Когда есть время на следующей неделе?',
    ])
      expect(readReply(text, ru), text).toEqual({ type: 'answer' });
    const en = { waiting: waiting('date', 'en'), knows: knows(() => windows, 'en') };
    expect(readReply('Can I come on Friday at 11?', en)).toEqual({ type: 'answer' });
    expect(readReply('What times do you have on Friday?', en)).toEqual({ type: 'answer' });
    // A time in a question about something else does not choose it.
    expect(readReply('Сколько стоит замер завтра в 15?', ru)).toMatchObject({ type: 'question' });
    expect(readReply('How much is it on Friday?', en)).toMatchObject({ type: 'question' });
    // Nor does a question naming no day.
    expect(readReply('а когда приедет замерщик?', ru)).toMatchObject({ type: 'question' });
  });

  it('should answer the question and keep the answer when one message has both', () => {
    const ru = { waiting: waiting('number'), knows: knows(() => ecostroy, 'ru') };
    expect(readReply('До 9 млн. А ипотека у вас есть?', ru)).toEqual({
      type: 'question-and-answer',
      question: 'А ипотека у вас есть?',
    });
    expect(readReply('до 9 млн, а рассрочка есть?', ru)).toEqual({
      type: 'question-and-answer',
      question: 'а рассрочка есть?',
    });
    const en = { waiting: waiting('choice', 'en'), knows: knows(() => ecostroy, 'en') };
    expect(readReply('Next year. Do you offer a mortgage?', en)).toEqual({
      type: 'question-and-answer',
      question: 'Do you offer a mortgage?',
    });
    // A free-text answer would take the question in with it: the question alone is answered and asked again.
    expect(readReply('Ромашково. А выезд на участок платный?', { waiting: waiting('text'), knows: ru.knows })).toEqual({
      type: 'question',
      question: 'А выезд на участок платный?',
    });
  });

  it('should read a question while no flow waits on an answer as a question', () => {
    const none = { knows: knows(() => windows, 'ru') };
    expect(readReply('Сколько стоит окно?', none)).toMatchObject({ type: 'question' });
    expect(readReply('Нужны окна в дом', none)).toEqual({ type: 'answer' });
  });

  it('should not take an idiom or an indefinite word for a question word', () => {
    for (const text of [
      'как можно скорее',
      'когда угодно',
      'где-то под Москвой',
      'как-нибудь летом',
      'whenever possible',
    ])
      expect(looksLikeQuestion(text), text).toBe(false);
    for (const text of ['как долго строить дом', 'когда вы работаете', 'how long does it take'])
      expect(looksLikeQuestion(text), text).toBe(true);
  });
});
