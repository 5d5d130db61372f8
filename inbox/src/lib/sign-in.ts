import * as z from 'zod/mini';

const ROLES = ['admin', 'manager', 'operator', 'marketer'] as const;

const userSchema = z.object({
  id: z.string(),
  name: z.string().check(z.minLength(1)),
  email: z.string(),
  role: z.enum(ROLES),
  teamIds: z.array(z.string()),
});

const signInResponse = z.object({ user: userSchema, csrfToken: z.optional(z.string()) });

const sessionResponse = z.object({ user: z.nullable(userSchema), csrfToken: z.optional(z.string()) });

export type User = z.infer<typeof userSchema>;

/** A signed-in user and the token that requests changing something must send back. */
export interface Session {
  user: User;
  csrfToken?: string;
}

export interface Credentials {
  email: string;
  password: string;
}

export type SignInResult =
  | { type: 'signed-in'; session: Session }
  | { type: 'wrong-credentials' }
  | { type: 'rate-limited' }
  | { type: 'unavailable' }
  | { type: 'failed' };

const SIGN_IN_URL = '/api/v1/auth/login';

/** Posts the credentials and tells, in the UI's terms, how it went. It never throws. */
export async function signIn(credentials: Credentials): Promise<SignInResult> {
  let response: Response;
  try {
    response = await fetch(SIGN_IN_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(credentials),
    });
  } catch {
    // The request did not reach the accounts API at all: for the user that is "not available".
    return { type: 'unavailable' };
  }
  switch (response.status) {
    case 401:
      return { type: 'wrong-credentials' };
    case 429:
      return { type: 'rate-limited' };
    // No route (404) or not implemented (501): the accounts API is not part of this server yet.
    case 404:
    case 501:
      return { type: 'unavailable' };
  }
  if (!response.ok) return { type: 'failed' };
  const body = signInResponse.safeParse(await response.json().catch(() => undefined));
  return body.success ? { type: 'signed-in', session: body.data } : { type: 'failed' };
}

/** The session behind the cookie, so a reload keeps the user signed in; null when there is none. */
export async function restoreSession(): Promise<Session | null> {
  try {
    const response = await fetch('/api/v1/auth/session', { headers: { accept: 'application/json' } });
    if (!response.ok) return null;
    const body = sessionResponse.safeParse(await response.json());
    if (!body.success || !body.data.user) return null;
    return { user: body.data.user, csrfToken: body.data.csrfToken };
  } catch {
    return null;
  }
}

/** Ends the session on the server; the UI signs out locally whatever the answer. */
export async function signOut(session: Session): Promise<void> {
  try {
    await fetch('/api/v1/auth/logout', {
      method: 'POST',
      headers: { accept: 'application/json', ...(session.csrfToken ? { 'x-csrf-token': session.csrfToken } : {}) },
      // The sign-out waits for this answer; a server that does not answer must not hold the user.
      signal: AbortSignal.timeout(5000),
    });
  } catch {
    // Offline or no answer: the session expires on its own; the local sign-out still happens.
  }
}
