import { randomBytes } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';

export interface Answer {
  status: number;
  // Tests read whatever shape a route returns and assert on it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** A signed-in person's REST client; `via` is the process (or balancer) its requests go to. */
export interface Person {
  cookie: string;
  request(via: string, method: string, path: string, body?: unknown): Promise<Answer>;
}

/** A person's browser: its session cookie and CSRF token, sent along as the inbox sends them. */
function personOf(session: { cookie: string; csrfToken: string }): Person {
  // Each person is its own machine: the login rate limit per address never meets another test's.
  const ip = `10.${[1, 2, 3].map(() => 1 + Math.floor(Math.random() * 250)).join('.')}`;
  return {
    cookie: session.cookie,
    async request(via, method, path, body) {
      const response = await fetch(`${via}/api/v1${path}`, {
        method,
        headers: {
          accept: 'application/json',
          cookie: session.cookie,
          'x-csrf-token': session.csrfToken,
          'x-forwarded-for': ip,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}

async function signIn(via: string, path: string, body: unknown): Promise<Person> {
  const response = await fetch(`${via}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.${randomBytes(1)[0]}.1` },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { csrfToken?: string };
  const sid = response.headers.getSetCookie().find((cookie) => cookie.startsWith('sid='));
  if (!response.ok || !sid || !answer.csrfToken) {
    throw new Error(`${path} failed: ${response.status} ${JSON.stringify(answer)}`);
  }
  return personOf({ cookie: sid.split(';')[0]!, csrfToken: answer.csrfToken });
}

export const PASSWORD = 'scale-out correct horse';

/** The first admin of the empty installation, as a new deployment creates it. */
export function setUpFirstAdmin(via: string): Promise<Person> {
  return signIn(via, '/auth/setup', { name: 'Админ', email: 'admin@scale.test', password: PASSWORD });
}

export function logIn(via: string, email: string): Promise<Person> {
  return signIn(via, '/auth/login', { email, password: PASSWORD });
}

/** Every payload of one event an /inbox socket received, with when it came. */
export interface Heard<T> {
  payload: T;
  at: number;
}

/**
 * An operator's /inbox socket as the inbox opens it (session cookie, WebSocket transport); with
 * `reconnect` it keeps the client's default reconnection (first retry after 1 s ± 50 %).
 */
export async function inboxSocket(url: string, person: Person, reconnect = false): Promise<Socket> {
  const socket = connect(`${url}/inbox`, {
    extraHeaders: { cookie: person.cookie },
    transports: ['websocket'],
    reconnection: reconnect,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

export function listen<T>(socket: Socket, event: string): Heard<T>[] {
  const heard: Heard<T>[] = [];
  socket.on(event, (payload: T) => heard.push({ payload, at: Date.now() }));
  return heard;
}
