/** Which words a channel reads as consent keywords (ChannelCapabilities.optOutKeywords). */
export type OptOutKeywords = 'chat' | 'carrier';

/**
 * The words that stop messages and start them again, in English and Russian, on every channel that
 * takes keywords. SMS adds the ones carriers and Twilio act on
 * (https://help.twilio.com/articles/223134027), which in a chat are too often an answer to the bot
 * ("cancel" a booking). A message is a keyword only when it is the keyword alone: "stop", "СТОП!"
 * are; "не могу остановиться" is not.
 */
const OPT_OUT = new Set(['STOP', 'UNSUBSCRIBE', 'СТОП', 'ОТПИСАТЬСЯ']);
const OPT_IN = new Set(['START', 'СТАРТ']);
const CARRIER_OPT_OUT = new Set(['STOPALL', 'CANCEL', 'END', 'QUIT']);
const CARRIER_OPT_IN = new Set(['UNSTOP']);

/** A bot command such as Telegram's `/stop` or `/stop@ShopBot`. */
const COMMAND = /^\/([\p{L}\d_]+)(?:@\w+)?$/u;

export interface ConsentKeyword {
  status: 'opted-out' | 'opted-in';
  keyword: string;
}

/** The consent a message gives or withdraws, or undefined when it is an ordinary message. */
export function consentKeyword(text: string, words: OptOutKeywords): ConsentKeyword | undefined {
  const bare = text
    .trim()
    .replace(/[\s.!…]+$/u, '')
    .toLocaleUpperCase('ru');
  const command = COMMAND.exec(bare);
  const word = command?.[1] ?? bare;
  const carrier = words === 'carrier';
  if (OPT_OUT.has(word) || (carrier && CARRIER_OPT_OUT.has(word))) return { status: 'opted-out', keyword: word };
  // `/start` opens every Telegram chat (and carries deep-link payloads): the bot answers it, so
  // only a written START opts back in.
  if (command) return undefined;
  if (OPT_IN.has(word) || (carrier && CARRIER_OPT_IN.has(word))) return { status: 'opted-in', keyword: word };
  return undefined;
}
