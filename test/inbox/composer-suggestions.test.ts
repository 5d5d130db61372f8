import { describe, expect, it } from 'vitest';
import { filterCanned, cannedPreview, type CannedResponse } from '../../inbox/src/lib/conversation/canned-filter.js';
import { replaceToken, tokenAt } from '../../inbox/src/lib/conversation/composer-token.js';
import { mentionCandidates, mentionedUserIds, mentionText } from '../../inbox/src/lib/conversation/mentions.js';

const canned = (shortcut: string, ru: string, en?: string): CannedResponse => ({
  id: shortcut,
  shortcut,
  text: { ru, ...(en ? { en } : {}) },
  visibility: 'everyone',
});

const responses = [
  canned('привет', 'Здравствуйте, {{contact.name}}!', 'Hello, {{contact.name}}!'),
  canned('цена', 'Цена зависит от площади дома'),
  canned('рассрочка', 'Рассрочка на 12 месяцев без переплаты'),
  canned('адрес-офиса', 'Мы на Ленинском проспекте, 12'),
  canned('доставка', 'Доставка по области бесплатно, цена по городу — 2000 ₽'),
];

const people = [
  { id: 'u1', name: 'Мария Иванова', email: 'maria@example.ru' },
  { id: 'u2', name: 'Олег Смирнов', email: 'oleg@example.ru' },
  { id: 'u3', name: 'Марат Ахметов', email: 'marat@example.ru' },
];

describe('composer tokens', () => {
  it('should find a `/` or `@` token at the start of the text or after a space, up to the caret', () => {
    expect(tokenAt('/цен', 4, '/')).toEqual({ start: 0, query: 'цен' });
    expect(tokenAt('Добрый день! /рас', 17, '/')).toEqual({ start: 13, query: 'рас' });
    expect(tokenAt('Коллеги, @мар', 13, '@')).toEqual({ start: 9, query: 'мар' });
    expect(tokenAt('@', 1, '@')).toEqual({ start: 0, query: '' });
    expect(tokenAt('Привет\n/', 8, '/')).toEqual({ start: 7, query: '' });
  });

  it('should not open on a URL, an e-mail, a finished word or a token the caret has left', () => {
    expect(tokenAt('https://example.ru/цена', 23, '/')).toBeUndefined();
    expect(tokenAt('пишите на sales@example.ru', 26, '@')).toBeUndefined();
    expect(tokenAt('/цена ', 6, '/')).toBeUndefined();
    expect(tokenAt('/цена дома', 10, '/')).toBeUndefined();
    expect(tokenAt('/цена дома', 5, '/')).toEqual({ start: 0, query: 'цена' });
  });

  it('should replace the token and put the caret after the inserted text', () => {
    const text = 'Добрый день! /рас и всё';
    const token = tokenAt(text, 17, '/')!;
    expect(replaceToken(text, token, 17, 'Рассрочка на 12 месяцев')).toEqual({
      text: 'Добрый день! Рассрочка на 12 месяцев и всё',
      caret: 36,
    });
  });
});

describe('canned response filter', () => {
  it('should list shortcuts that start with the query first, then those containing it, then texts containing it', () => {
    expect(filterCanned(responses, 'цен', 'ru').map((item) => item.shortcut)).toEqual(['цена', 'доставка']);
    expect(filterCanned(responses, 'офис', 'ru').map((item) => item.shortcut)).toEqual(['адрес-офиса']);
    expect(filterCanned(responses, 'РАС', 'ru').map((item) => item.shortcut)).toEqual(['рассрочка']);
  });

  it('should list everything alphabetically for a bare `/`, up to the limit', () => {
    expect(filterCanned(responses, '', 'ru').map((item) => item.shortcut)).toEqual([
      'адрес-офиса',
      'доставка',
      'привет',
      'рассрочка',
      'цена',
    ]);
    expect(filterCanned(responses, '', 'ru', 2)).toHaveLength(2);
    expect(filterCanned(responses, 'нет-такого', 'ru')).toEqual([]);
  });

  it('should preview in the interface language, falling back to the other one', () => {
    expect(cannedPreview(responses[0]!, 'en')).toBe('Hello, {{contact.name}}!');
    expect(cannedPreview(responses[1]!, 'en')).toBe('Цена зависит от площади дома');
    expect(filterCanned(responses, 'hello', 'en').map((item) => item.shortcut)).toEqual(['привет']);
  });
});

describe('mentions', () => {
  it('should offer people whose first or last name or e-mail starts with the query', () => {
    expect(mentionCandidates(people, 'мар').map((person) => person.id)).toEqual(['u1', 'u3']);
    expect(mentionCandidates(people, 'смир').map((person) => person.id)).toEqual(['u2']);
    expect(mentionCandidates(people, 'oleg').map((person) => person.id)).toEqual(['u2']);
    expect(mentionCandidates(people, '')).toHaveLength(3);
    expect(mentionCandidates(people, '', 2)).toHaveLength(2);
    expect(mentionCandidates(people, 'ова')).toEqual([]);
  });

  it('should notify only the picked people still mentioned in the note, each once', () => {
    const [maria, oleg] = people;
    const text = `${mentionText(maria!)} посмотри договор, ${mentionText(maria!)} и Олег`;
    expect(mentionedUserIds(text, [maria!, oleg!, maria!])).toEqual(['u1']);
    expect(mentionedUserIds('без упоминаний', [maria!])).toEqual([]);
  });
});
