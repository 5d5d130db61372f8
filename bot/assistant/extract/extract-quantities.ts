import type { Quantity } from './extraction-schema.js';
import { NUMBER_WORD_SOURCE, readNumber } from './number-words.js';

type Unit = Quantity['unit'];

const FIGURES = String.raw`\d{1,3}(?:[\s\u00a0]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?`;

/* What is being counted, by the word after the number (all case forms by their stem). */
const UNIT_WORDS: [Unit, RegExp][] = [
  ['window', /^(?:окон|окн[а-я]*|стеклопакет[а-я]*|windows?)$/u],
  ['door', /^(?:двер[а-я]*|doors?)$/u],
  ['balcony', /^(?:балкон[а-я]*|лодж[а-я]*|balcon(?:y|ies))$/u],
  ['room', /^(?:комнат[а-я]*|комн\.?|к|rooms?|bedrooms?)$/u],
  ['floor', /^(?:этаж[а-я]*|floors?|stor(?:e?y|ies))$/u],
  ['sqm', /^(?:м2|м²|кв\.?|кв\.?\s?м\.?|квадрат[а-я]*|метр[а-я]*|m2|m²|sqm|sq)$/u],
  ['sotka', /^(?:сот[а-я]*)$/u],
  ['item', /^(?:шт\.?|штук[а-я]*|pcs|pieces?)$/u],
];

const COUNT = new RegExp(
  `(?<![\\p{L}\\d])(${FIGURES}|(?:${NUMBER_WORD_SOURCE})(?!\\p{L}))(?:\\s*-\\s*|\\s+|(?=[мm]))(?:[\\p{L}]+\\s+)?([\\p{L}²2.]+)`,
  'giu',
);
/* "двушка", "трёшка": a flat by its number of rooms. */
const ROOM_SLANG: [RegExp, number][] = [
  [/однушк|однокомнатн|студи/iu, 1],
  [/двушк|двухкомнатн/iu, 2],
  [/тр[её]шк|тр[её]хкомнатн/iu, 3],
  [/четыр[её]хкомнатн/iu, 4],
];

function unitOf(word: string): Unit | undefined {
  const lower = word.toLocaleLowerCase('ru').replace(/\.$/, '');
  return UNIT_WORDS.find(([, pattern]) => pattern.test(lower) || pattern.test(`${lower}.`))?.[0];
}

/**
 * Counted things: "3 окна", "пять окон", "дом 120 м2", "2-комнатная", "10 соток". One adjective may
 * stand between the number and the noun ("3 пластиковых окна").
 */
export function extractQuantities(text: string): Quantity[] {
  const found: Quantity[] = [];
  for (const match of text.matchAll(COUNT)) {
    const value = readNumber(match[1] ?? '');
    const words = match[0]
      .slice(match[1]!.length)
      .trim()
      .split(/[\s-]+/);
    const unit = words.map(unitOf).find((u) => u !== undefined);
    if (value === undefined || value <= 0 || !unit) continue;
    found.push({ value, unit });
  }
  for (const [pattern, rooms] of ROOM_SLANG) {
    if (pattern.test(text) && !found.some((q) => q.unit === 'room')) found.push({ value: rooms, unit: 'room' });
  }
  return found;
}

const ANY_NUMBER = new RegExp(`(?<![\\p{L}\\d])(${FIGURES}|${NUMBER_WORD_SOURCE})(?![\\p{L}\\d])`, 'giu');

/** Every number in the text, figures or words, in order. */
export function extractNumbers(text: string): number[] {
  return [...text.matchAll(ANY_NUMBER)]
    .map((match) => readNumber(match[1] ?? ''))
    .filter((value): value is number => value !== undefined);
}
