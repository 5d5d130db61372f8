/** A `typing` push on the `/inbox` socket (server/messaging/relay-operator-typing.ts, create-visitor-backend.ts). */
export interface TypingPush {
  conversationId: string;
  typing: boolean;
  who: 'contact' | 'user';
  user?: { id: string; name: string };
}

/** Someone typing in the conversation on screen, until `until` unless a newer signal comes. */
export interface Typist {
  /** 'contact', or the colleague's user id. */
  key: string;
  /** The colleague's name; the contact's comes from their card. */
  name?: string;
  until: number;
}

/** A signal not renewed within this time is over: a closed tab never sends "stopped". */
export const TYPING_TTL_MS = 8000;

/**
 * Who types now, after a push: the conversation's other participants only (the operator's own
 * signal comes back to them through their rooms and is left out).
 */
export function applyTyping(
  typists: readonly Typist[],
  push: TypingPush,
  conversationId: string,
  myUserId: string | undefined,
  now: number,
): Typist[] {
  if (push.conversationId !== conversationId) return [...typists];
  const key = push.who === 'contact' ? 'contact' : push.user?.id;
  if (!key || key === myUserId) return [...typists];
  const others = typists.filter((typist) => typist.key !== key && typist.until > now);
  if (!push.typing) return others;
  return [
    ...others,
    { key, ...(push.user && push.who === 'user' ? { name: push.user.name } : {}), until: now + TYPING_TTL_MS },
  ];
}

/** Those still typing at `now`. */
export function currentTypists(typists: readonly Typist[], now: number): Typist[] {
  return typists.filter((typist) => typist.until > now);
}
