import { describe, expect, it } from 'vitest';
import { parseAnswer } from '../../bot/assistant/extract/parse-answer.js';
import { readReply, type WaitingQuestion } from '../../bot/assistant/front-door/read-reply.js';

/** Wednesday 5 March 2025, 23:30 in Moscow. */
const clock = { now: new Date('2025-03-05T20:30:00Z'), timeZone: 'Europe/Moscow' };

/** A book step's "which time?", read as waitingQuestion reads it for the front door. */
const bookingDay = (locale: 'ru' | 'en'): WaitingQuestion => ({
  answer: 'date',
  read: (text) => parseAnswer('date', text, { ...clock, locale }),
});
// The worst case: a knowledge base without a word on working hours.
const reply = (text: string, locale: 'ru' | 'en' = 'ru') =>
  readReply(text, { waiting: bookingDay(locale), knows: () => false });

/**
 * A client offered booking slots who asks when the company works names a day without choosing
 * it: the front door answers the question, and the booking step neither books nor offers that day.
 */
describe('readReply of a question about working hours', () => {
  it('should read a question about working hours on a day as a question, not as choosing the day', () => {
    for (const text of [
      'Когда вы работаете в субботу?',
      'Вы работаете в субботу?',
      'А в субботу вы работаете?',
      'До скольки вы работаете в субботу?',
      'Часы работы в субботу?',
      'Какой режим работы в субботу?',
      // Written as people type in a chat, without the question mark.
      'вы работаете в субботу',
      'до скольки вы работаете в субботу',
      'во сколько вы открываетесь в субботу',
    ])
      expect(reply(text), text).toEqual({ type: 'question', question: text });
    for (const text of [
      'Do you work on Saturdays?',
      'When do you work on Saturday?',
      'what are your hours on Saturday',
      'What are your opening hours on Saturday?',
    ])
      expect(reply(text, 'en'), text).toEqual({ type: 'question', question: text });
  });

  it('should still read a question whether a day is free as choosing it', () => {
    for (const text of ['а в субботу можно?', 'Когда есть время на следующей неделе?', 'Можно ли в субботу в 11?'])
      expect(reply(text), text).toEqual({ type: 'answer' });
    expect(reply('Can I come on Saturday?', 'en')).toEqual({ type: 'answer' });
  });

  it('should keep the day chosen in the same message as a question about hours', () => {
    expect(reply('Давайте в субботу в 11. А до скольки вы работаете?')).toEqual({
      type: 'question-and-answer',
      question: 'А до скольки вы работаете?',
    });
  });
});
