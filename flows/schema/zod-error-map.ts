import { z } from 'zod';
import type { Language } from './define-texts.js';

const english = z.locales.en().localeError;
const russian = z.locales.ru().localeError;

/** zod's type names as a Russian reader says them (zod's `ru` locale leaves most in English). */
const KINDS: Record<string, string> = {
  string: 'текст',
  number: 'число',
  int: 'целое число',
  bigint: 'целое число',
  nan: 'не число (NaN)',
  boolean: 'true или false',
  array: 'список',
  tuple: 'список',
  object: 'объект',
  record: 'объект',
  date: 'дата',
  null: 'null',
  undefined: 'ничего',
};

const kind = (name: string) => KINDS[name] ?? name;

/**
 * zod's own messages in Russian: its `ru` locale, except for what people meet most (a wrong or
 * missing value, a length, a bound, an unknown key), where that locale reads «ожидалось string»
 * or «ожидалось, что string будет иметь >=8 символов».
 */
const inRussian: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `Обязательное поле: ожидается ${kind(issue.expected)}`;
      return `Ожидается ${kind(issue.expected)}, а получено: ${kind(z.core.util.parsedType(issue.input))}`;
    case 'too_small': {
      const than = issue.inclusive ? 'не меньше' : 'больше';
      if (issue.origin === 'string')
        return issue.minimum === 1 && issue.inclusive
          ? 'Не может быть пустым'
          : `Символов должно быть ${than} ${String(issue.minimum)}`;
      if (issue.origin === 'array')
        return issue.minimum === 1 && issue.inclusive
          ? 'Список не может быть пустым'
          : `Элементов должно быть ${than} ${String(issue.minimum)}`;
      if (issue.origin === 'number') return `Должно быть ${than} ${String(issue.minimum)}`;
      return russian(issue);
    }
    case 'too_big': {
      const than = issue.inclusive ? 'не больше' : 'меньше';
      if (issue.origin === 'string') return `Символов должно быть ${than} ${String(issue.maximum)}`;
      if (issue.origin === 'array') return `Элементов должно быть ${than} ${String(issue.maximum)}`;
      if (issue.origin === 'number') return `Должно быть ${than} ${String(issue.maximum)}`;
      return russian(issue);
    }
    case 'unrecognized_keys': {
      const keys = issue.keys.map((key) => `"${key}"`).join(', ');
      return issue.keys.length === 1 ? `Неизвестный ключ: ${keys}` : `Неизвестные ключи: ${keys}`;
    }
    default:
      return russian(issue);
  }
};

/**
 * The per-parse error map for `language` (`schema.safeParse(value, { error: zodErrorMap(language) })`):
 * one process answers Russian and English readers at once, so the language is chosen per parse,
 * never with the global `z.config`. A schema's own text outranks it (see defineTexts).
 */
export function zodErrorMap(language: Language): z.core.$ZodErrorMap {
  return language === 'ru' ? inRussian : english;
}
