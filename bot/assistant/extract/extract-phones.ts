import { parsePhoneNumberFromString } from 'libphonenumber-js';

/*
 * A run of digits with the separators people type in phone numbers. libphonenumber's own
 * findPhoneNumbersInText skips numbers written back to back in a list ("…22, 8903…"), so the
 * candidates are cut here and each is parsed and validated on its own.
 */
const CANDIDATE = /(?<![\d\w])\+?\d[\d\s().-]{8,18}\d(?!\d)/g;

/** Valid phone numbers in the text, E.164, Russian national formats (8…, 9xx…) read as +7. */
export function extractPhones(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(CANDIDATE)) {
    const raw = match[0];
    const digits = raw.replace(/\D/g, '');
    if (digits.length < 10 || digits.length > 15) continue;
    // A date or an amount ("26.11.2026 10", "5 000 000 000") never has phone grouping with a +.
    const phone = parsePhoneNumberFromString(raw.trim().startsWith('+') ? `+${digits}` : digits, 'RU');
    if (phone?.isValid()) found.add(phone.number);
  }
  return [...found];
}
