import type { Prng } from './create-prng.js';

const WEIGHTS_10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const WEIGHTS_11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const WEIGHTS_12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

const checkDigit = (digits: number[], weights: number[]) =>
  (weights.reduce((sum, weight, i) => sum + weight * digits[i]!, 0) % 11) % 10;

/**
 * A made-up INN that passes the real check-digit rules (companies refuse any other): 10 digits
 * for an organisation, 12 for an entrepreneur, starting with the code of the tax office
 * (`taxOffice`, e.g. '7719' for Moscow, '5017' for Istra) as real ones do.
 */
export function makeInn(prng: Prng, kind: 'organisation' | 'entrepreneur', taxOffice: string): string {
  const digits = [...taxOffice].map(Number);
  const serialLength = kind === 'organisation' ? 5 : 6;
  for (let i = 0; i < serialLength; i++) digits.push(prng.int(0, 9));
  if (kind === 'organisation') digits.push(checkDigit(digits, WEIGHTS_10));
  else {
    digits.push(checkDigit(digits, WEIGHTS_11));
    digits.push(checkDigit(digits, WEIGHTS_12));
  }
  return digits.join('');
}
