const weights10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const weights11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const weights12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

function checkDigit(digits: number[], weights: number[]): number {
  return (weights.reduce((sum, weight, i) => sum + weight * digits[i]!, 0) % 11) % 10;
}

/**
 * A Russian INN with correct check digits: 10 digits for an organisation (one check digit),
 * 12 for an individual entrepreneur (two). A typo in an INN almost always breaks the checksum,
 * so this catches mistyped numbers before they reach contracts and invoices.
 */
export function isValidInn(inn: string): boolean {
  if (!/^\d{10}$|^\d{12}$/.test(inn)) return false;
  const digits = [...inn].map(Number);
  if (digits.length === 10) return checkDigit(digits, weights10) === digits[9];
  return checkDigit(digits, weights11) === digits[10] && checkDigit(digits, weights12) === digits[11];
}
