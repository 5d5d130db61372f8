/* How a question starts, Russian and English ("сколько стоит…", "есть ли…", "do you…"). */
const QUESTION_START =
  /^(?:а\s+|и\s+|скажите,?\s+|подскажите,?\s+)?(?:сколько|как|какой|какая|какие|каков\p{L}*|когда|где|куда|почему|зачем|можно\s+ли|есть\s+ли|будет\s+ли|нужно\s+ли|делаете\s+ли|работаете\s+ли|даёте\s+ли|даете\s+ли|what|how|when|where|why|which|do\s+you|does|can\s+i|can\s+you|is\s+there|are\s+there|are\s+you)(?!\p{L})/iu;

/** Whether the client asks something rather than answers: a question mark, or a question word first. */
export function looksLikeQuestion(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.endsWith('?') || QUESTION_START.test(trimmed);
}
