/**
 * The words that stop texts and start them again, in English as carriers and Twilio know them
 * (https://help.twilio.com/articles/223134027) and in Russian. A message is a keyword only when it
 * is the keyword alone: "stop", "СТОП!" are; "не могу остановиться" is not.
 */
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'СТОП', 'ОТПИСАТЬСЯ']);
const OPT_IN = new Set(['START', 'UNSTOP', 'СТАРТ']);

export interface SmsConsentChange {
  status: 'opted-out' | 'opted-in';
  keyword: string;
}

/** The consent an inbound SMS gives or withdraws, or undefined when it is an ordinary message. */
export function smsConsentChange(text: string): SmsConsentChange | undefined {
  const word = text
    .trim()
    .replace(/[\s.!…]+$/u, '')
    .toLocaleUpperCase('ru');
  if (OPT_OUT.has(word)) return { status: 'opted-out', keyword: word };
  if (OPT_IN.has(word)) return { status: 'opted-in', keyword: word };
  return undefined;
}
