import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { pino } from 'pino';
import { ROLES, type Role } from '../../server/auth/permissions.js';
import { startApp, type App } from '../../server/boot/start-app.js';
import { loadConfig } from '../../server/config/config.js';
import { createUser, type NewUser } from '../../server/users/create-user.js';
import type { PublicUser } from '../../server/users/user-schemas.js';
import { freePort } from '../../server/free-port.js';

/** The password of every user the harness seeds. */
export const TEST_PASSWORD = 'correct horse battery staple';

export interface ApiResponse {
  status: number;
  // Tests read whatever shape a route returns and assert on it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
}

export interface ApiClient {
  get(path: string): Promise<ApiResponse>;
  post(path: string, body?: unknown): Promise<ApiResponse>;
  patch(path: string, body?: unknown): Promise<ApiResponse>;
  put(path: string, body?: unknown): Promise<ApiResponse>;
  delete(path: string, body?: unknown): Promise<ApiResponse>;
  request(method: string, path: string, body?: unknown): Promise<ApiResponse>;
  /** The signed-in user (clients from `as` and `login`). */
  user?: PublicUser;
  /** The session's CSRF token; the client sends it on every request. */
  csrfToken?: string;
  /** The session cookie, `sid=…`. */
  cookie?: string;
}

/** What a client sends with every request beside its session, e.g. `{ 'accept-language': 'ru' }`. */
export interface ClientOptions {
  headers?: Record<string, string>;
}

export interface TestApi {
  /** e.g. http://127.0.0.1:41234; API paths are below `${baseUrl}/api/v1`. */
  baseUrl: string;
  app: App;
  /** The app's mongoose connection, for models and direct checks. */
  db: Connection;
  /** One seeded active user per role (e-mail `<role>@test.local`, password TEST_PASSWORD). */
  users: Record<Role, PublicUser>;
  /** A new client signed in as the seeded user of that role (its own session). */
  as(role: Role, options?: ClientOptions): Promise<ApiClient>;
  login(email: string, password: string, options?: ClientOptions): Promise<ApiClient>;
  /** A client without a session; `bearer` makes it send `Authorization: Bearer …`. */
  anonymous(options?: ClientOptions & { bearer?: string }): ApiClient;
  /** Writes a user directly (random e-mail unless given; password TEST_PASSWORD unless given). */
  createUser(input: Partial<NewUser> & { role: Role }): Promise<PublicUser>;
  close(): Promise<void>;
}

function randomIp(): string {
  const byte = () => 1 + Math.floor(Math.random() * 250);
  return `10.${byte()}.${byte()}.${byte()}`;
}

function makeClient(apiBase: string, options: ClientOptions & { bearer?: string } = {}): ApiClient {
  const { bearer } = options;
  // Each client is its own "machine": login rate limits per IP never leak between tests or runs.
  const ip = randomIp();
  const client: ApiClient = {
    async request(method, path, body) {
      const headers: Record<string, string> = { accept: 'application/json', 'x-forwarded-for': ip, ...options.headers };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (client.cookie) headers.cookie = client.cookie;
      if (client.csrfToken) headers['x-csrf-token'] = client.csrfToken;
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      const response = await fetch(`${apiBase}${path}`, {
        method: method.toUpperCase(),
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const sid = response.headers.getSetCookie().find((cookie) => cookie.startsWith('sid='));
      if (sid) client.cookie = sid.split(';')[0];
      const text = await response.text();
      const isJson = response.headers.get('content-type')?.includes('json') && text.length > 0;
      const parsed = isJson ? JSON.parse(text) : text;
      if (parsed?.csrfToken) client.csrfToken = parsed.csrfToken;
      return { status: response.status, body: parsed, headers: response.headers };
    },
    get: (path) => client.request('get', path),
    post: (path, body) => client.request('post', path, body),
    patch: (path, body) => client.request('patch', path, body),
    put: (path, body) => client.request('put', path, body),
    delete: (path, body) => client.request('delete', path, body),
  };
  return client;
}

/**
 * Starts the whole app in-process (embedded store in a temp folder, the Redis on 127.0.0.1:6379)
 * on a free port, seeded with one user per role. Call in beforeAll, close in afterAll. The demo
 * workspace stays out unless `demoData` asks for it (then it is seeded first, as on `npm start`).
 * `env` sets further configuration, e.g. `{ READ_BURST_LIMIT: '20' }`.
 */
function withDatabase(uri: string, name: string): string {
  const url = new URL(uri);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function startTestApi(
  options: { demoData?: boolean; env?: Record<string, string>; inboxDir?: string; widgetDir?: string } = {},
): Promise<TestApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'api-'));
  const port = await freePort();
  // Against a real MongoDB each suite gets a database of its own, dropped when it closes.
  const mongoUri = process.env.MONGODB_URI
    ? withDatabase(process.env.MONGODB_URI, `api_${randomBytes(4).toString('hex')}`)
    : undefined;
  const app = await startApp(
    loadConfig({
      ...options.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      DEMO_DATA: options.demoData ? 'true' : 'false',
      ...(mongoUri ? { MONGODB_URI: mongoUri } : {}),
    }),
    pino({ level: 'silent' }),
    { inboxDir: options.inboxDir, widgetDir: options.widgetDir },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const apiBase = `${baseUrl}/api/v1`;
  const db = app.database.mongoose.connection;

  const addUser = (input: Partial<NewUser> & { role: Role }) =>
    createUser(db, {
      name: `Test ${input.role}`,
      email: `${input.role}-${Math.random().toString(36).slice(2, 10)}@test.local`,
      password: TEST_PASSWORD,
      ...input,
    });
  const users = {} as Record<Role, PublicUser>;
  for (const role of ROLES) users[role] = await addUser({ role, email: `${role}@test.local`, name: `Test ${role}` });

  const login = async (email: string, password: string, options?: ClientOptions): Promise<ApiClient> => {
    const client = makeClient(apiBase, options);
    const response = await client.post('/auth/login', { email, password });
    if (response.status !== 200)
      throw new Error(`Login as ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
    client.user = response.body.user;
    return client;
  };

  return {
    baseUrl,
    app,
    db,
    users,
    as: (role, options) => login(users[role].email, TEST_PASSWORD, options),
    login,
    anonymous: (options) => makeClient(apiBase, options),
    createUser: addUser,
    async close() {
      if (mongoUri) await db.dropDatabase();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
