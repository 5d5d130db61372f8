import { describe, expect, it } from 'vitest';
import { parseAnswer, type AnswerType } from '../../bot/assistant/extract/parse-answer.js';

const now = new Date('2026-11-26T10:00:00+03:00');
const options = { now, timeZone: 'Europe/Moscow' };
const choices = [
  { id: 'windows', text: { ru: 'Окна', en: 'Windows' } },
  { id: 'balcony', text: { ru: 'Остекление балкона', en: 'Balcony glazing' } },
  { id: 'doors', text: { ru: 'Двери', en: 'Doors' }, synonyms: ['входная'] },
];

const CASES: [AnswerType, string, ReturnType<typeof parseAnswer>][] = [
  ['phone', '8 (916) 123-45-67', { ok: true, value: '+79161234567' }],
  ['phone', 'мой +7 912 000-11-22', { ok: true, value: '+79120001122' }],
  ['phone', 'не дам', { ok: false, reason: 'not-found' }],
  ['phone', '89161234567 или 89031234567', { ok: false, reason: 'ambiguous' }],
  ['email', 'Ivan@Yandex.ru', { ok: true, value: 'ivan@yandex.ru' }],
  ['email', 'ivan at yandex', { ok: false, reason: 'not-found' }],
  ['number', '3 окна', { ok: true, value: 3 }],
  ['number', 'пять', { ok: true, value: 5 }],
  ['number', 'около 1,5 млн', { ok: true, value: 1_500_000 }],
  ['number', '$50k', { ok: true, value: 50_000 }],
  ['number', 'не знаю', { ok: false, reason: 'not-found' }],
  ['number', 'от 3 до 5', { ok: false, reason: 'ambiguous' }],
  ['date', 'завтра', { ok: true, value: '2026-11-27' }],
  ['date', 'в пятницу в 10', { ok: true, value: '2026-11-27T10:00:00+03:00' }],
  ['date', 'послезавтра после обеда', { ok: true, value: '2026-11-28T14:00:00+03:00' }],
  ['date', 'next Monday 3pm', { ok: true, value: '2026-11-30T15:00:00+03:00' }],
  ['date', 'вчера', { ok: false, reason: 'past' }],
  ['date', 'когда-нибудь', { ok: false, reason: 'not-found' }],
  ['text', '  Митино, ул. Барышиха  ', { ok: true, value: 'Митино, ул. Барышиха' }],
  ['text', '   ', { ok: false, reason: 'empty' }],
  ['name', 'меня зовут Анна', { ok: true, value: 'Анна' }],
  ['name', 'пётр иванов', { ok: true, value: 'Пётр Иванов' }],
  ['name', '89161234567', { ok: false, reason: 'not-found' }],
  ['choice', 'окна', { ok: true, value: 'windows' }],
  ['choice', 'Balcony glazing', { ok: true, value: 'balcony' }],
  ['choice', '2', { ok: true, value: 'balcony' }],
  ['choice', 'давайте балкон', { ok: true, value: 'balcony' }],
  ['choice', 'входная', { ok: true, value: 'doors' }],
  ['choice', 'окна и двери', { ok: false, reason: 'ambiguous' }],
  ['choice', 'крыша', { ok: false, reason: 'not-found' }],
];

describe('parseAnswer', () => {
  it.each(CASES)('should read a %s answer %j', (type, text, expected) => {
    expect(parseAnswer(type, text, { ...options, choices })).toEqual(expected);
  });

  it('should take the pressed button over the text', () => {
    expect(parseAnswer('choice', '', { ...options, choices, buttonId: 'doors' })).toEqual({ ok: true, value: 'doors' });
  });

  it('should ignore link buttons, which have no id', () => {
    const withLink = [{ text: { ru: 'Наш сайт' } }, { id: 'call-me', text: { ru: 'Перезвоните мне' } }];
    expect(parseAnswer('choice', '1', { ...options, choices: withLink })).toEqual({ ok: true, value: 'call-me' });
    expect(parseAnswer('choice', 'наш сайт', { ...options, choices: withLink })).toEqual({
      ok: false,
      reason: 'not-found',
    });
  });

  it('should read dates in the client time zone', () => {
    expect(parseAnswer('date', 'tomorrow 9am', { now, timeZone: 'America/New_York', locale: 'en' })).toEqual({
      ok: true,
      value: '2026-11-27T09:00:00-05:00',
    });
  });
});
