import { extractIntents } from '../extract/extract-intents.js';
import type { Intent } from '../extract/extraction-schema.js';
import type { AnswerType, ParsedAnswer } from '../extract/parse-answer.js';
import { looksLikeQuestion, startsLikeQuestion } from '../faq/looks-like-question.js';

/** The question a flow waits on in the conversation, as the front door needs it. */
export interface WaitingQuestion {
  answer: AnswerType;
  /** Reads a text as the answer to it (the offline parser, with the step's buttons, zone and clock). */
  read(text: string): ParsedAnswer;
}

/**
 * - `answer`: the flow reads the message as the answer to its question;
 * - `question`: the client asks instead of answering: the bot answers `question` and the flow asks again;
 * - `question-and-answer`: both in one message ("до 9 млн. А ипотека есть?"): the bot answers
 *   `question` and the flow reads the answer from the message.
 */
export type ReplyReading =
  { type: 'answer' } | { type: 'question'; question: string } | { type: 'question-and-answer'; question: string };

/* Sentences, and the clauses a second thought starts with (", а ипотека есть?"). */
const PARTS = /(?<=[.!?…])\s+|\n+|,\s*(?=(?:а|и|но|and|but)\s)/iu;

/** The message's parts: sentences and second-thought clauses. */
const partsOf = (text: string) =>
  text
    .split(PARTS)
    .map((part) => part.trim())
    .filter(Boolean);

/** Whether any part of the message looks like a question: without one it is an answer, whatever is waiting. */
export const hasQuestion = (text: string): boolean => partsOf(text).some(looksLikeQuestion);

const sameValue = (a: ParsedAnswer, b: ParsedAnswer) => a.ok && b.ok && a.value === b.value;

/*
 * Words asking whether a time is free: "а в субботу можно?", "есть ли время в пятницу?", "когда
 * можно на следующей неделе?", "can I come on Friday at 11?".
 */
const ASKS_FOR_TIME =
  /(?<!\p{L})(?:можно|когда|во\s+сколько|как(?:ое|ие)\s+время|есть\s+(?:ли\s+)?(?:время|места?|окошк\p{L}*)|свободн\p{L}*|подойд[её]т|получится|удобно|(?:при|подъ)ехать|прийти|запис\p{L}+|when|what\s+times?|any\s+(?:time|slots?)|free|available|can\s+(?:i|we)|could\s+(?:i|we)|come|book)(?!\p{L})/iu;
/** What a question asks about besides the time makes it a question for the knowledge base ("сколько стоит замер завтра?"). */
const OTHER_TOPICS: readonly Intent[] = ['price', 'warranty', 'installments', 'delivery'];
/*
 * Asking when the company works names a day without choosing it ("когда вы работаете в субботу?",
 * "вы работаете в субботу?", "do you work on Saturdays?", "your hours on Saturday"): the knowledge
 * base answers it, the booking step offers nothing for it.
 */
const ASKS_ABOUT_HOURS =
  /(?<!\p{L})(?:работаете|открываетесь|закрываетесь|(?:часы|режим|график|время)\s+работы|(?:do|are)\s+you\s+(?:work|open|clos)\p{L}*|(?:your|opening|working|business|office)\s+hours)(?!\p{L})/iu;

/**
 * A question about when, naming a day, to a question waiting on a date: the step answers it
 * better than the knowledge base (that day's free times, or the booking itself).
 */
const asksForTime = (text: string, waiting: WaitingQuestion, whole: ParsedAnswer) =>
  waiting.answer === 'date' &&
  whole.ok &&
  ASKS_FOR_TIME.test(text) &&
  !ASKS_ABOUT_HOURS.test(text) &&
  !extractIntents(text).some((intent) => OTHER_TOPICS.includes(intent));

/**
 * Whether a client's message answers the question the bot asked or asks one of its own. A
 * question word first or a question mark makes a question, except where the message is still a
 * plain answer to the waiting question: "9 млн?" or "Алексей?" read as the answer when the
 * knowledge base has nothing on them and they start like no question. A message with an answer
 * part and a question part is both, when the answer part says what the whole message says (a free
 * text answer would swallow the question, so it never is). Asked while a date is awaited, a
 * question whether a day is free ("а в субботу можно?") is the answer; one about when the company
 * works ("вы работаете в субботу?") never is.
 */
export function readReply(
  text: string,
  options: { waiting?: WaitingQuestion; knows(question: string): boolean },
): ReplyReading {
  const { waiting, knows } = options;
  const parts = partsOf(text);
  const questions = parts.filter(looksLikeQuestion);
  if (questions.length === 0) return { type: 'answer' };
  const question = questions.join(' ');
  if (!waiting || waiting.answer === 'text') return { type: 'question', question };

  const whole = waiting.read(text);
  if (asksForTime(text, waiting, whole)) return { type: 'answer' };
  const rest = parts.filter((part) => !questions.includes(part)).join(' ');
  if (rest && sameValue(waiting.read(rest), whole)) return { type: 'question-and-answer', question };
  if (whole.ok && !parts.some(startsLikeQuestion) && !ASKS_ABOUT_HOURS.test(question) && !knows(text))
    return { type: 'answer' };
  return { type: 'question', question };
}
