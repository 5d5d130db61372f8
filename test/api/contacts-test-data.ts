import { randomBytes } from 'node:crypto';

const digits = (count: number) => Array.from({ length: count }, () => Math.floor(Math.random() * 10)).join('');

/** A random Russian mobile number: its ten national digits ('9xxxxxxxxx'), so each test writes it its own way. */
export function randomMobile(): string {
  return `9${digits(9)}`;
}

/** '9123456789' as '+7 (912) 345-67-89'. */
export function spelledOut(national: string): string {
  return `+7 (${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6, 8)}-${national.slice(8)}`;
}

export function randomEmail(): string {
  return `client-${randomBytes(4).toString('hex')}@example.ru`;
}

export function randomId(): string {
  return randomBytes(12).toString('hex');
}
