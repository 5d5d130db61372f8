import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * The client's number in E.164, or undefined when the call came from no number anyone can call
 * back (a hidden caller, a softphone's `client:` name). Numbers without a country code are taken
 * as Russian, as Zadarma sends them ("79…", "89…").
 */
export function clientPhone(raw: string | undefined): string | undefined {
  if (!raw || !/^\+?\d{7,15}$/.test(raw.trim())) return undefined;
  const digits = raw.trim();
  const parsed = parsePhoneNumberFromString(
    digits.startsWith('+') || digits.startsWith('8') ? digits : `+${digits}`,
    'RU',
  );
  return parsed?.isValid() ? parsed.number : undefined;
}
