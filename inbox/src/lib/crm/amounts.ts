import type { Amount } from './deal-views.js';

/** Sums per currency with `delta` of one currency added; a currency that comes to nothing drops out. */
export function addAmount(amounts: readonly Amount[], currency: string, delta: number): Amount[] {
  const known = amounts.some((entry) => entry.currency === currency);
  const next = known
    ? amounts.map((entry) => (entry.currency === currency ? { currency, amount: entry.amount + delta } : entry))
    : [...amounts, { currency, amount: delta }];
  // Kopecks add up in binary floating point: sums are kept to the kopeck.
  return next
    .map((entry) => ({ currency: entry.currency, amount: Math.round(entry.amount * 100) / 100 }))
    .filter((entry) => entry.amount !== 0);
}

/** «185 000 ₽»: whole roubles unless there are kopecks, in the reader's locale. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: Number.isInteger(amount) ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(amount);
}

/** A column's sums: «1 250 000 ₽», or «1 250 000 ₽ + 300 $» when deals are in several currencies. */
export function formatAmounts(amounts: readonly Amount[], locale: string): string {
  if (amounts.length === 0) return formatMoney(0, 'RUB', locale);
  return amounts.map((entry) => formatMoney(entry.amount, entry.currency, locale)).join(' + ');
}
