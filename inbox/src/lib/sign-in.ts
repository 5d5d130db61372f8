import * as z from 'zod/mini';

const ROLES = ['admin', 'manager', 'operator', 'marketer'] as const;

const signInResponse = z.object({
  user: z.object({ name: z.string().check(z.minLength(1)), role: z.enum(ROLES) }),
});

export type User = z.infer<typeof signInResponse>['user'];

export interface Credentials {
  email: string;
  password: string;
}

export type SignInResult =
  | { type: 'signed-in'; user: User }
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
  return body.success ? { type: 'signed-in', user: body.data.user } : { type: 'failed' };
}
