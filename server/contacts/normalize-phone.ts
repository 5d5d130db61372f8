import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Where numbers written without a country code are assumed to be. The product's users are
 * Russian companies whose clients write "8 912 …" or just "912 …".
 */
export const DEFAULT_PHONE_REGION: CountryCode = 'RU';

/**
 * A phone number in E.164 ('+79123456789'), or undefined when the text is not a valid number.
 * One number written as '+7 (912) 345-67-89', '89123456789' or '9123456789' gives one result,
 * which is what deduplication and search compare.
 */
export function normalizePhone(raw: string, region: CountryCode = DEFAULT_PHONE_REGION): string | undefined {
  const parsed = parsePhoneNumberFromString(raw, region);
  return parsed?.isValid() ? parsed.number : undefined;
}
