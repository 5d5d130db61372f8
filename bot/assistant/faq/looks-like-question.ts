/*
 * How a question starts, Russian and English ("сколько стоит…", "есть ли…", "do you…"), and the
 * starts people type without a question mark ("вы работаете в субботу", "до скольки вы открыты").
 */
const QUESTION_START =
  /^(?:а\s+|и\s+|скажите,?\s+|подскажите,?\s+)?(?:до\s+скольки|со\s+скольки|во\s+сколько|вы\s+работаете|вы\s+открыты|сколько|как|какой|какая|какие|каков\p{L}*|когда|где|куда|почему|зачем|можно\s+ли|есть\s+ли|будет\s+ли|нужно\s+ли|делаете\s+ли|работаете\s+ли|даёте\s+ли|даете\s+ли|what|how|when|where|why|which|do\s+you|does|can\s+i|can\s+you|is\s+there|are\s+there|are\s+you)(?![\p{L}-])/iu;

/*
 * Answers that start with a question word: "как можно скорее", "когда угодно", "как получится",
 * "when possible", "whenever". Indefinite forms ("где-то 150 м²", "когда-нибудь") are kept out by
 * the hyphen in QUESTION_START's look-ahead.
 */
const ANSWER_IDIOMS =
  /^(?:ну\s+)?(?:как\s+можно\s+(?:скорее|быстрее|раньше|позже)|как\s+получится|как\s+удобно|когда\s+(?:угодно|удобно|получится|скажете|сможете)|how\s+about|when(?:ever)?\s+(?:possible|convenient|you\s+can))(?!\p{L})/iu;

/** Whether the text starts the way a question does ("сколько стоит…", "do you…"), idioms aside. */
export function startsLikeQuestion(text: string): boolean {
  const trimmed = text.trim();
  return QUESTION_START.test(trimmed) && !ANSWER_IDIOMS.test(trimmed);
}

/** Whether the client asks something rather than answers: a question mark, or a question word first. */
export function looksLikeQuestion(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.endsWith('?') || startsLikeQuestion(trimmed);
}
