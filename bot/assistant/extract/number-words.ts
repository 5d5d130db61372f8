/** Numbers people spell out in a chat, Russian (every case form that matters) and English. */
const UNITS: Record<string, number> = {
  ноль: 0,
  один: 1,
  одна: 1,
  одно: 1,
  одну: 1,
  одного: 1,
  одной: 1,
  два: 2,
  две: 2,
  двух: 2,
  три: 3,
  трёх: 3,
  трех: 3,
  четыре: 4,
  четырёх: 4,
  четырех: 4,
  пять: 5,
  пяти: 5,
  шесть: 6,
  шести: 6,
  семь: 7,
  семи: 7,
  восемь: 8,
  восьми: 8,
  девять: 9,
  девяти: 9,
  десять: 10,
  десяти: 10,
  одиннадцать: 11,
  двенадцать: 12,
  тринадцать: 13,
  четырнадцать: 14,
  пятнадцать: 15,
  шестнадцать: 16,
  семнадцать: 17,
  восемнадцать: 18,
  девятнадцать: 19,
  полтора: 1.5,
  полторы: 1.5,
  пол: 0.5,
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  a: 1,
  an: 1,
  half: 0.5,
};
const TENS: Record<string, number> = {
  двадцать: 20,
  тридцать: 30,
  сорок: 40,
  пятьдесят: 50,
  шестьдесят: 60,
  семьдесят: 70,
  восемьдесят: 80,
  девяносто: 90,
  сто: 100,
  двести: 200,
  триста: 300,
  пятьсот: 500,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  hundred: 100,
};

const WORDS = [...Object.keys(TENS), ...Object.keys(UNITS).filter((word) => word.length > 2)].sort(
  (a, b) => b.length - a.length,
);

/** A spelt number: "двадцать пять", "пять", "twenty-one", "полтора". */
export const NUMBER_WORD_SOURCE = `(?:(?:${Object.keys(TENS).join('|')})(?:[\\s-]+(?:${Object.keys(UNITS)
  .filter((word) => UNITS[word]! >= 1 && UNITS[word]! < 10 && Number.isInteger(UNITS[word]))
  .join('|')}))?|${WORDS.join('|')})`;

/** A number written in figures ("5 000", "3,5") or words, as a number; undefined otherwise. */
export function readNumber(token: string): number | undefined {
  const text = token.trim().toLocaleLowerCase('ru');
  if (/^\d{1,3}(?:[\s\u00a0]\d{3})+(?:[.,]\d+)?$|^\d+(?:[.,]\d+)?$/.test(text)) {
    return Number(text.replace(/[\s\u00a0]/g, '').replace(',', '.'));
  }
  const parts = text.split(/[\s-]+/);
  let total = 0;
  for (const part of parts) {
    const value = TENS[part] ?? UNITS[part];
    if (value === undefined) return undefined;
    total += value;
  }
  return parts.length > 0 ? total : undefined;
}
