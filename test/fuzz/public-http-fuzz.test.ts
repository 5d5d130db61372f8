import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import { startTestApi, TEST_PASSWORD, type ApiClient, type TestApi } from '../api/api-harness.js';
import {
  countDocuments,
  expectRefusal,
  fuzzBody,
  fuzzParameters,
  grown,
  jsonValue,
  runsOf,
  send,
  timeoutFor,
  watchProcess,
  type FuzzBody,
} from './fuzz-kit.js';

/**
 * The public HTTP endpoints that are not webhooks, under generated input: login and first-run
 * setup, session checks with forged cookies, web form submissions and their embed script, the
 * unsubscribe link (/u/:token), a broadcast's tracked link (/l/:code), the site chat's file uploads and demo page, signed file links.
 */

const SITE = 'https://forms.fuzz.example';
/** What a submission writes. */
const FORM_COLLECTIONS = ['contacts', 'deals', 'leads', 'messages', 'conversations', 'tasks'] as const;

const withType = (body: FuzzBody): Record<string, string> =>
  body.contentType ? { 'content-type': body.contentType } : {};

/** Path segments that are not what the route expects: ids of other shapes, traversal, encodings. */
const pathSegment = fc.oneof(
  // "." and ".." are dropped by URL parsing before a request leaves (`/u/.` is `/u/`), so never sent.
  fc
    .string({ minLength: 1, maxLength: 30 })
    .map((text) => encodeURIComponent(text))
    .filter((segment) => !/^(\.|%2e){1,2}$/i.test(segment)),
  fc.constantFrom(
    '%',
    '%E0%A4%A',
    '..%2F..%2Fetc',
    '__proto__',
    'constructor',
    '%24where',
    '000000000000000000000000',
    'null',
  ),
  fc.stringMatching(/^[0-9a-f]{24}$/),
  fc.integer().map(String),
);

describe('public http endpoints under fuzzing', () => {
  let api: TestApi;
  let admin: ApiClient;
  let formId: string;
  let webchatId: string;
  const watcher = watchProcess();

  beforeAll(async () => {
    api = await startTestApi();
    const pipelines = await ensureDefaultPipelines(api.db);
    admin = await api.as('admin');
    const form = await admin.post('/forms', {
      name: `Fuzz ${randomBytes(3).toString('hex')}`,
      fields: [
        { key: 'name', label: { ru: 'Имя' }, type: 'text', required: true, mapTo: { type: 'contact-name' } },
        { key: 'phone', label: { ru: 'Телефон' }, type: 'phone', required: true, mapTo: { type: 'contact-phone' } },
        { key: 'email', label: { ru: 'E-mail' }, type: 'email', mapTo: { type: 'contact-email' } },
      ],
      pipelineId: String(pipelines.leads!._id),
      thankYou: { ru: 'Спасибо!' },
      allowedOrigins: [SITE],
    });
    expect(form.status, JSON.stringify(form.body)).toBe(201);
    formId = form.body.id;
    const chat = await admin.post('/channels', { type: 'webchat', name: 'Fuzz chat', allowedOrigins: [SITE] });
    expect(chat.status, JSON.stringify(chat.body)).toBe(201);
    webchatId = chat.body.id;
  });

  afterAll(async () => {
    watcher.stop();
    await api?.close();
  });

  /** Runs `property` and checks that no collection grew and the process saw no stray failure. */
  async function refusedAll<Ts>(property: fc.IAsyncProperty<Ts>, runs: number): Promise<void> {
    const before = await countDocuments(api.db);
    await fc.assert(property, fuzzParameters(runs));
    expect(grown(before, await countDocuments(api.db))).toEqual({});
    expect(watcher.problems).toEqual([]);
  }

  const loginRuns = runsOf(0.04);
  it(
    'should refuse generated login bodies with a 4xx and a message',
    () =>
      refusedAll(
        fc.asyncProperty(fuzzBody({ email: 'operator@test.local', password: TEST_PASSWORD }), async (body) => {
          const answer = await send(`${api.baseUrl}/api/v1/auth/login`, { headers: withType(body), body: body.body });
          expectRefusal(answer, 'login');
        }),
        loginRuns,
      ),
    timeoutFor(loginRuns, 150),
  );

  const setupRuns = runsOf(0.02);
  it(
    'should refuse generated first-run setup bodies once users exist',
    () =>
      refusedAll(
        fc.asyncProperty(
          fuzzBody({ name: 'Админ', email: 'admin2@test.local', password: 'long enough password 1' }),
          async (body) => {
            const answer = await send(`${api.baseUrl}/api/v1/auth/setup`, { headers: withType(body), body: body.body });
            expectRefusal(answer, 'setup');
          },
        ),
        setupRuns,
      ),
    timeoutFor(setupRuns),
  );

  const sessionRuns = runsOf(0.03);
  it(
    'should refuse forged session cookies, CSRF tokens and bearer tokens',
    () =>
      refusedAll(
        fc.asyncProperty(
          fc.record({
            cookie: fc.option(
              fc.oneof(
                fc.string().map((value) => `sid=${encodeURIComponent(value)}`),
                fc.constant(`sid=${'a'.repeat(5000)}`),
                fc.constant('sid=s%3A%E0%A4%A'),
                fc.constant('sid=__proto__; sid=constructor'),
              ),
              { nil: undefined },
            ),
            csrf: fc.option(fc.string({ maxLength: 40 }).map(encodeURIComponent), { nil: undefined }),
            bearer: fc.option(fc.string({ minLength: 1, maxLength: 80 }).map(encodeURIComponent), { nil: undefined }),
            target: fc.constantFrom(
              { method: 'GET', path: '/api/v1/auth/me' },
              { method: 'POST', path: '/api/v1/auth/logout' },
              { method: 'GET', path: '/api/v1/contacts' },
              { method: 'POST', path: '/api/v1/contacts' },
            ),
          }),
          async ({ cookie, csrf, bearer, target: { method, path } }) => {
            const headers: Record<string, string> = { 'content-type': 'application/json' };
            if (cookie) headers.cookie = cookie;
            if (csrf) headers['x-csrf-token'] = csrf;
            if (bearer) headers.authorization = `Bearer ${bearer}`;
            const answer = await send(`${api.baseUrl}${path}`, {
              method,
              headers,
              ...(method === 'POST' ? { body: '{"name":"x"}' } : {}),
            });
            expectRefusal(answer, `${method} ${path}`);
          },
        ),
        sessionRuns,
      ),
    timeoutFor(sessionRuns),
  );

  const formRuns = runsOf(0.06);
  it(
    'should refuse generated form submissions and store none of the refused ones',
    async () => {
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(
          fuzzBody({ name: 'Анна', phone: '+7 916 123-45-67', email: 'anna@example.com' }),
          fc.constantFrom(SITE, 'https://evil.example', 'null', undefined),
          fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: pathSegment }),
          fc.constantFrom('application/json', 'text/html', '*/*'),
          async (body, origin, otherId, accept) => {
            const headers: Record<string, string> = { ...withType(body), accept };
            if (origin) headers.origin = origin;
            const before = await countDocuments(api.db, FORM_COLLECTIONS);
            const answer = await send(`${api.baseUrl}/api/v1/forms/${otherId || formId}/submissions`, {
              headers,
              body: body.body,
            });
            // Broken types can still make a real submission (`"email": []` is an empty optional
            // field): taken, as it should be, from the form's own site only.
            if (answer.status === 200 && origin === SITE && !otherId) {
              accepted++;
              return;
            }
            expectRefusal(answer, `form submission from ${origin}`);
            expect(grown(before, await countDocuments(api.db, FORM_COLLECTIONS))).toEqual({});
          },
        ),
        fuzzParameters(formRuns),
      );
      expect(accepted).toBeLessThan(formRuns / 10);
      expect(watcher.problems).toEqual([]);
    },
    timeoutFor(formRuns),
  );

  const linkRuns = runsOf(0.04);
  it(
    'should refuse generated unsubscribe tokens, tracked link codes, form ids, signed file links and preflights',
    () =>
      refusedAll(
        fc.asyncProperty(
          pathSegment,
          pathSegment,
          fc.constantFrom('GET', 'POST'),
          fc.constantFrom('unsubscribe', 'tracked', 'embed', 'file', 'preflight'),
          fuzzBody(),
          async (segment, other, method, kind, body) => {
            const path = {
              unsubscribe: `/u/${segment}`,
              tracked: `/l/${segment}`,
              embed: `/api/v1/forms/${segment}/embed.js`,
              file: `/files/${segment}/${other}/${segment}`,
              preflight: `/api/v1/forms/${segment}/submissions`,
            }[kind];
            const answer = await send(`${api.baseUrl}${path}`, {
              method: kind === 'preflight' ? 'OPTIONS' : kind === 'unsubscribe' ? method : 'GET',
              headers: { ...withType(body), origin: 'https://evil.example' },
              ...(kind === 'unsubscribe' && method === 'POST' ? { body: body.body } : {}),
            });
            expectRefusal(answer, `${kind} ${path}`);
          },
        ),
        linkRuns,
      ),
    timeoutFor(linkRuns),
  );

  const uploadRuns = runsOf(0.05);
  it(
    'should refuse site chat uploads that break any one rule, and keep no file',
    () =>
      refusedAll(
        fc.asyncProperty(
          fc.record({
            broken: fc.constantFrom('origin', 'channel', 'visitor', 'name', 'type', 'empty'),
            origin: fc.constantFrom('https://evil.example', 'null', undefined),
            channel: pathSegment,
            visitorId: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('__proto__', '$gt', '')),
            fileName: fc.constantFrom(undefined, '%', '%E0%A4%A', '..%2F', '%2F', '%20%20'),
            contentType: fc.constantFrom(undefined, ''),
            bytes: fc.uint8Array({ minLength: 1, maxLength: 2000 }),
            method: fc.constantFrom('POST', 'OPTIONS'),
          }),
          async (upload) => {
            const broken = (part: string) => upload.broken === part;
            const visitorId = broken('visitor') ? upload.visitorId : 'v_0123456789abcdef01';
            const headers: Record<string, string> = {
              'content-type': broken('type') ? (upload.contentType ?? '') : 'image/png',
              'x-file-name': broken('name') ? (upload.fileName ?? '') : 'photo.png',
            };
            const origin = broken('origin') ? upload.origin : SITE;
            if (origin) headers.origin = origin;
            if (headers['content-type'] === '') delete headers['content-type'];
            if (headers['x-file-name'] === '') delete headers['x-file-name'];
            const channel = broken('channel') ? upload.channel : webchatId;
            const answer = await send(
              `${api.baseUrl}/hooks/webchat/${channel}/files?visitorId=${encodeURIComponent(visitorId)}`,
              {
                method: upload.method === 'OPTIONS' && !broken('origin') && !broken('channel') ? 'POST' : upload.method,
                headers,
                body:
                  upload.method === 'OPTIONS'
                    ? undefined
                    : broken('empty')
                      ? Buffer.alloc(0)
                      : Buffer.from(upload.bytes),
              },
            );
            expectRefusal(answer, `upload with a broken ${upload.broken}`);
          },
        ),
        uploadRuns,
      ),
    timeoutFor(uploadRuns),
  );

  const demoRuns = runsOf(0.01);
  it(
    'should answer the demo page or a 404 whatever its query, never a failure',
    () =>
      refusedAll(
        fc.asyncProperty(
          fc.dictionary(fc.constantFrom('channel', 'lang', 'channel[]', '__proto__'), jsonValue),
          async (query) => {
            const search = new URLSearchParams(
              Object.entries(query).map(([key, value]): [string, string] => [key, String(JSON.stringify(value))]),
            );
            const answer = await send(`${api.baseUrl}/demo?${search.toString()}`, { method: 'GET' });
            // The page takes nothing from its query but a channel id and a language, each with a default.
            if (answer.status === 200) {
              expect(answer.contentType).toContain('html');
              return;
            }
            expectRefusal(answer, `/demo?${search.toString()}`);
          },
        ),
        demoRuns,
      ),
    timeoutFor(demoRuns),
  );
});
