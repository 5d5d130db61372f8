import { RUSSIAN_FIRST_NAMES } from './russian-first-names.js';

const WORD = "\\p{Lu}[\\p{Ll}'-]+";
// "меня зовут Анна Петрова", "я — Игорь", "это Ольга", "I'm John", "my name is Mary Jones".
const INTRODUCTIONS = [
  new RegExp(`(?:[Мм]еня\\s+зовут|[Зз]овут\\s+меня|[Мм]о[её]\\s+имя|[Ии]мя)[\\s:,—–-]+(${WORD}(?:\\s+${WORD})?)`, 'u'),
  new RegExp(`(?:^|[\\s,.!])(?:[Яя]|[Ээ]то|[Сс]\\s+уважением,?)[\\s,—–-]+(${WORD}(?:\\s+${WORD})?)`, 'u'),
  new RegExp(
    `(?:[Mm]y\\s+name\\s+is|[Nn]ame[:\\s]+|I'?m|I\\s+am|[Tt]his\\s+is|[Rr]egards,?)\\s+(${WORD}(?:\\s+${WORD})?)`,
    'u',
  ),
];
const INTRODUCTION_CI = /(?:меня\s+зовут|my\s+name\s+is)\s+([\p{L}'-]+)/iu;
const SURNAME = /^\p{Lu}\p{Ll}+(?:ов|ова|ев|ева|ёв|ёва|ин|ина|ын|ына|ский|ская|цкий|цкая|ко|ук|юк|son|er|ing|ton)$/u;

/** Words that start a sentence after "я"/"это"/"I'm" but are not names. */
const NOT_NAMES = new Set(
  `Хочу Хотел Хотела Хотим Нужно Нужен Нужна Живу Интересует Интересуют Ищу Могу Готов Готова Бы Вот Тоже
  Здравствуйте Привет Добрый Спасибо Окна Окно Дом Квартира Балкон Двери Дверь Продаю Куплю
  Looking Interested Ready Trying Writing Calling Going Thinking Here Just Not Also From In At Fine Good`.split(/\s+/),
);

function capitalize(word: string): string {
  return word.charAt(0).toLocaleUpperCase('ru') + word.slice(1).toLocaleLowerCase('ru');
}

/** After "меня зовут" / "my name is" a second capitalised word is the surname; after "я"/"это" only when it looks like one. */
function plausible(candidate: string, explicit: boolean): string | undefined {
  const [first, second] = candidate.split(/\s+/);
  if (!first || NOT_NAMES.has(first)) return undefined;
  return second && !NOT_NAMES.has(second) && (explicit || SURNAME.test(second) || RUSSIAN_FIRST_NAMES.has(first))
    ? `${first} ${second}`
    : first;
}

/**
 * The client's name: from an introduction ("меня зовут …", "I'm …"), else a known Russian first
 * name written on its own (a signature), with the surname after it when it looks like one.
 */
export function extractName(text: string): string | undefined {
  for (const [index, pattern] of INTRODUCTIONS.entries()) {
    const match = pattern.exec(text);
    const name = match?.[1] ? plausible(match[1], index !== 1) : undefined;
    if (name) return name;
  }
  // "меня зовут анна": lower case after an explicit introduction still counts.
  const lowerCase = INTRODUCTION_CI.exec(text)?.[1];
  if (lowerCase && !NOT_NAMES.has(capitalize(lowerCase))) return capitalize(lowerCase);
  const words = text.match(/\p{L}[\p{L}'-]*/gu) ?? [];
  for (const [index, word] of words.entries()) {
    if (!RUSSIAN_FIRST_NAMES.has(word)) continue;
    const next = words[index + 1];
    return next && SURNAME.test(next) ? `${word} ${next}` : word;
  }
  return undefined;
}
