import { formatMoney } from '../crm/amounts.js';
import type { FigureUnit } from './report-views.js';

/** Reports carry roubles (the payback settings' currency is RUB); the table's money is whole roubles. */
const CURRENCY = 'RUB';

function unit(value: number, name: string, locale: string, digits = 0, display: 'short' | 'long' = 'short'): string {
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: name,
    unitDisplay: display,
    maximumFractionDigits: digits,
  }).format(value);
}

/**
 * A duration the way a person says it: «45 с», «7 мин», «1 ч 5 мин», «2 дн. 3 ч». Two units at
 * most: a response time of "1 h 5 min 12 s" reads no better than "1 h 5 min".
 */
export function formatDuration(seconds: number, locale: string): string {
  const whole = Math.round(Math.abs(seconds));
  const sign = seconds < 0 ? '−' : '';
  if (whole < 60) return sign + unit(whole, 'second', locale);
  if (whole < 3600) return sign + unit(Math.round(whole / 60), 'minute', locale);
  const minutes = Math.round(whole / 60);
  if (minutes < 24 * 60) {
    const rest = minutes % 60;
    const hours = unit(Math.floor(minutes / 60), 'hour', locale);
    return sign + (rest ? `${hours} ${unit(rest, 'minute', locale)}` : hours);
  }
  const hours = Math.round(whole / 3600);
  const rest = hours % 24;
  const days = unit(Math.floor(hours / 24), 'day', locale);
  return sign + (rest ? `${days} ${unit(rest, 'hour', locale)}` : days);
}

/**
 * A report's figure by its unit, in the reader's language: «7 мин», «1 350 000 ₽», «25,3 %»,
 * «6,8 месяца». A percent comes as a number of percent (25.3), not a share (0.253). No value: «—».
 */
export function formatFigure(value: number | null | undefined, figureUnit: FigureUnit, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  switch (figureUnit) {
    case 'count':
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
    case 'percent':
      return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value / 100);
    case 'seconds':
      return formatDuration(value, locale);
    // Spelled out: «6,8 месяца» reads better than «6,8 мес.», and English's short "mths" worse still.
    case 'days':
      return unit(value, 'day', locale, 1, 'long');
    case 'months':
      return unit(value, 'month', locale, 1, 'long');
    case 'years':
      return unit(value, 'year', locale, 2, 'long');
    case 'money':
      return formatMoney(Math.round(value), CURRENCY, locale);
    case 'ratio':
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
  }
}
