/**
 * The GSM 03.38 default alphabet (3GPP TS 23.038 §6.2.1): one 7-bit septet each. Line feed and
 * carriage return are in it; the escape code 0x1B is not a character anyone types.
 */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** The extension table (§6.2.1.1): escape + one septet, so two septets each. */
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSegments {
  encoding: SmsEncoding;
  /** SMS the text goes out as (each billed as one); 0 for an empty text. */
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  units: number;
  /** Units one SMS holds: 160 / 70 alone, 153 / 67 once the text is split (the rest is the joining header). */
  perSegment: number;
  /** Units still free in the last SMS before another one starts. */
  remaining: number;
  /** The characters that rule GSM-7 out (Cyrillic, emoji…), each once, at most ten. */
  unicodeCharacters: string[];
}

const LIMITS = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
} as const;

/**
 * How many SMS a text takes and in which encoding: GSM-7 when every character is in the GSM
 * alphabet (extension characters such as € and [ count twice), UCS-2 otherwise (Cyrillic, emoji).
 * A split text loses 7 septets / 3 code units per SMS to the concatenation header, and a character
 * is never split across two SMS: not an escape pair, not an emoji's surrogate pair. The one count
 * the reply box shows and the SMS channel relies on.
 */
export function countSmsSegments(text: string): SmsSegments {
  const characters = Array.from(text);
  const unicodeCharacters = [...new Set(characters.filter((c) => !GSM_BASIC.has(c) && !GSM_EXTENSION.has(c)))];
  const encoding: SmsEncoding = unicodeCharacters.length === 0 ? 'GSM-7' : 'UCS-2';
  const sizes = characters.map((c) => (encoding === 'GSM-7' ? (GSM_EXTENSION.has(c) ? 2 : 1) : c.length));
  const units = sizes.reduce((sum, size) => sum + size, 0);
  const limits = LIMITS[encoding];
  const summary = { encoding, units, unicodeCharacters: unicodeCharacters.slice(0, 10) };
  if (units === 0) return { ...summary, segments: 0, perSegment: limits.single, remaining: limits.single };
  if (units <= limits.single) {
    return { ...summary, segments: 1, perSegment: limits.single, remaining: limits.single - units };
  }
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > limits.part) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return { ...summary, segments, perSegment: limits.part, remaining: limits.part - used };
}
