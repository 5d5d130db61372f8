/* Who the client asks for, and the words of asking; Russian stems and English. */
const PERSON =
  /(?<![\p{L}/])(?:оператор\p{L}*|менеджер\p{L}*|человек\p{L}*|сотрудник\p{L}*|консультант\p{L}*|operator|human|manager|person|someone|agent)(?!\p{L})/iu;
const ASKING = /позов|соедин|переключ|свяж|поговор|хочу|нужен|нужна|дайте|talk|speak|connect|want|need|get me/iu;
const COMMAND = /^\/(?:human|operator|manager)(?:@\w+)?$/i;
/** Longer messages mentioning a person ("нас трое человек") are about something else. */
const SHORT = 4;

/**
 * Whether the client asks for a person: "/human", a short "оператор" or "менеджера, пожалуйста",
 * or a sentence that asks for one ("соедините с менеджером", "I want to talk to a human").
 */
export function wantsPerson(text: string): boolean {
  const trimmed = text.trim();
  if (COMMAND.test(trimmed)) return true;
  if (!PERSON.test(trimmed)) return false;
  return trimmed.split(/\s+/).length <= SHORT || ASKING.test(trimmed);
}
