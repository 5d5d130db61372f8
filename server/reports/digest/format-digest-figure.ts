import type { FigureUnit } from '../report-definition.js';

export type DigestLanguage = 'ru' | 'en';

const LOCALE: Record<DigestLanguage, string> = { ru: 'ru-RU', en: 'en-GB' };
const WORDS = {
  ru: { h: 'ч', min: 'мин', s: 'с', days: 'дн.', months: 'мес.', years: 'г.', pp: 'п. п.' },
  en: { h: 'h', min: 'min', s: 's', days: 'days', months: 'months', years: 'years', pp: 'pp' },
} as const;

function number(value: number, language: DigestLanguage, digits = 1): string {
  return new Intl.NumberFormat(LOCALE[language], { maximumFractionDigits: digits }).format(value);
}

/** A wait as people say it: "4 мин 30 с", "1 h 5 min". */
function duration(seconds: number, language: DigestLanguage): string {
  const words = WORDS[language];
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0) return minutes > 0 ? `${hours} ${words.h} ${minutes} ${words.min}` : `${hours} ${words.h}`;
  if (minutes > 0) return rest > 0 ? `${minutes} ${words.min} ${rest} ${words.s}` : `${minutes} ${words.min}`;
  return `${rest} ${words.s}`;
}

/** A figure in the reader's language; a missing one (nothing to count) is a dash. */
export function formatFigure(value: number | null, unit: FigureUnit, language: DigestLanguage): string {
  if (value === null) return '—';
  switch (unit) {
    case 'count':
    case 'ratio':
      return number(value, language, unit === 'count' ? 0 : 2);
    case 'percent':
      return language === 'ru' ? `${number(value, language)} %` : `${number(value, language)}%`;
    case 'money':
      return `${number(value, language, 0)} ₽`;
    case 'seconds':
      return duration(value, language);
    case 'days':
    case 'months':
    case 'years':
      return `${number(value, language)} ${WORDS[language][unit]}`;
  }
}

/**
 * How the week moved against the week before: percentage points for shares, a relative change
 * otherwise; a dash when there is nothing to compare with.
 */
export function formatChange(
  value: number | null,
  previous: number | null,
  unit: FigureUnit,
  language: DigestLanguage,
): string {
  if (value === null || previous === null) return '—';
  const sign = (delta: number) => (delta > 0 ? '+' : delta < 0 ? '−' : '±');
  if (unit === 'percent') {
    const delta = Math.round((value - previous) * 10) / 10;
    return `${sign(delta)}${number(Math.abs(delta), language)} ${WORDS[language].pp}`;
  }
  if (previous === 0) return '—';
  const change = Math.round(((value - previous) / previous) * 1000) / 10;
  return language === 'ru'
    ? `${sign(change)}${number(Math.abs(change), language)} %`
    : `${sign(change)}${number(Math.abs(change), language)}%`;
}
