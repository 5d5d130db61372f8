/**
 * A campaign's cost or revenue in the user's language, with kopecks: «1 500,00 ₽», "$1,500.00"
 * (deal amounts on the board are whole: crm/amounts.ts).
 */
export function formatCost(amount: number, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 2 }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}
