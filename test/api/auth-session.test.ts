import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authModels } from '../../server/auth/auth-models.js';
import { hashSecret } from '../../server/auth/secrets.js';
import { userModels } from '../../server/users/user-models.js';
import { startTestApi, TEST_PASSWORD, type TestApi } from './api-harness.js';

describe('auth sessions', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should sign in with any casing of the e-mail and return the user without secrets', async () => {
    const client = api.anonymous();
    const response = await client.post('/auth/login', { email: '  Operator@Test.Local ', password: TEST_PASSWORD });
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ name: 'Test operator', role: 'operator', email: 'operator@test.local' });
    expect(response.body.csrfToken).toMatch(/^[\w-]{40,}$/);
    expect(JSON.stringify(response.body)).not.toMatch(/passwordHash|argon2/);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('sid='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const me = await client.get('/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { role: 'operator' }, csrfToken: response.body.csrfToken });
  });

  it('should store only a hash of the session token', async () => {
    const client = await api.as('manager');
    const token = decodeURIComponent(client.cookie!.slice('sid='.length));
    const { Session } = authModels(api.db);
    expect(await Session.exists({ tokenHash: hashSecret(token) })).toBeTruthy();
    expect(await Session.exists({ tokenHash: token })).toBeNull();
  });

  it('should mark the cookie Secure when the request came over TLS through a trusted proxy', async () => {
    const response = await fetch(`${api.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.9.9.9' },
      body: JSON.stringify({ email: 'admin@test.local', password: TEST_PASSWORD }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie().find((c) => c.startsWith('sid='))).toMatch(/;\s*Secure/i);
  });

  it('should answer 401 with one message for a wrong password and for an unknown e-mail', async () => {
    const client = api.anonymous();
    const wrong = await client.post('/auth/login', { email: 'admin@test.local', password: 'nope-nope' });
    const unknown = await client.post('/auth/login', { email: 'nobody@test.local', password: 'nope-nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  it('should reject unknown fields and $-keys in the login body', async () => {
    const client = api.anonymous();
    expect(
      (await client.post('/auth/login', { email: 'admin@test.local', password: TEST_PASSWORD, role: 'admin' })).status,
    ).toBe(400);
    expect((await client.post('/auth/login', { email: { $ne: '' }, password: TEST_PASSWORD })).status).toBe(400);
  });

  it('should refuse a cookie request that changes something without the CSRF token, and accept it with the token', async () => {
    const client = await api.as('admin');
    const csrf = client.csrfToken;
    client.csrfToken = undefined;
    const refused = await client.post('/teams', { name: `CSRF ${Math.random()}` });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('csrf_failed');
    client.csrfToken = 'x'.repeat(csrf!.length);
    expect((await client.post('/teams', { name: `CSRF ${Math.random()}` })).status).toBe(403);
    client.csrfToken = csrf;
    expect((await client.post('/teams', { name: `CSRF ${Math.random()}` })).status).toBe(201);
    client.csrfToken = undefined;
    expect((await client.get('/teams')).status).toBe(200);
  });

  it('should let a browser with a live session sign in again without the CSRF token, ending the old session', async () => {
    const client = await api.as('operator');
    const oldCookie = client.cookie;
    client.csrfToken = undefined;
    const again = await client.post('/auth/login', { email: 'operator@test.local', password: TEST_PASSWORD });
    expect(again.status).toBe(200);
    expect(client.cookie).not.toBe(oldCookie);
    const stale = api.anonymous();
    stale.cookie = oldCookie;
    expect((await stale.get('/auth/me')).status).toBe(401);
  });

  it('should end the session at logout', async () => {
    const client = await api.as('marketer');
    const cookie = client.cookie;
    expect((await client.post('/auth/logout')).status).toBe(204);
    const replay = api.anonymous();
    replay.cookie = cookie;
    expect((await replay.get('/auth/me')).status).toBe(401);
  });

  it('should end a session left idle past its deadline, and slide the deadline on use', async () => {
    const client = await api.as('operator');
    const { Session } = authModels(api.db);
    const tokenHash = hashSecret(decodeURIComponent(client.cookie!.slice('sid='.length)));
    const longAgo = new Date(Date.now() - 11 * 60 * 60 * 1000);
    await Session.updateOne(
      { tokenHash },
      { $set: { lastSeenAt: longAgo, expiresAt: new Date(Date.now() + 60 * 60 * 1000) } },
    );
    expect((await client.get('/auth/me')).status).toBe(200);
    const slid = await Session.findOne({ tokenHash }).lean();
    expect(slid!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 11 * 60 * 60 * 1000);
    await Session.updateOne({ tokenHash }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await client.get('/auth/me')).status).toBe(401);
  });

  it('should stop the sessions of a deactivated user at once', async () => {
    const person = await api.createUser({ role: 'operator' });
    const client = await api.login(person.email, TEST_PASSWORD);
    await userModels(api.db).User.updateOne({ _id: person.id }, { $set: { active: false } });
    expect((await client.get('/auth/me')).status).toBe(401);
    const retry = await api.anonymous().post('/auth/login', { email: person.email, password: TEST_PASSWORD });
    expect(retry.status).toBe(401);
    expect(retry.body.error.message).toMatch(/deactivated/);
  });
});
