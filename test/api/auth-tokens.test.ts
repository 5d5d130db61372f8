import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authModels } from '../../server/auth/auth-models.js';
import { userModels } from '../../server/users/user-models.js';
import { startTestApi, type TestApi } from './api-harness.js';

describe('personal API tokens', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should show a new token once, store only its hash, and let it act within its scopes', async () => {
    const manager = await api.as('manager');
    const created = await manager.post('/auth/tokens', { name: 'Zapier', scopes: ['users.read'] });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^fit_[\w-]{40,}$/);
    expect(await authModels(api.db).ApiToken.exists({ tokenHash: created.body.token })).toBeNull();
    const listed = await manager.get('/auth/tokens');
    expect(listed.body.items[0]).toMatchObject({ id: created.body.id, name: 'Zapier', scopes: ['users.read'] });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);

    const integration = api.anonymous({ bearer: created.body.token });
    expect((await integration.get('/users')).status).toBe(200);
    expect((await integration.get('/auth/me')).body).toMatchObject({
      user: { role: 'manager' },
      tokenScopes: ['users.read'],
    });
    // Bearer requests need no CSRF token; the scope still limits them to what the token was given.
    const beyondScope = await integration.post('/teams', { name: 'Not allowed' });
    expect(beyondScope.status).toBe(403);
    expect(beyondScope.body.error.message).toMatch(/teams\.manage/);
  });

  it('should refuse scopes beyond the role, and tokens minting tokens', async () => {
    const operator = await api.as('operator');
    const refused = await operator.post('/auth/tokens', { name: 'too much', scopes: ['users.read', 'users.manage'] });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/users\.manage/);
    const ok = await operator.post('/auth/tokens', { name: 'reader', scopes: ['users.read'] });
    const viaToken = await api
      .anonymous({ bearer: ok.body.token })
      .post('/auth/tokens', { name: 'child', scopes: ['users.read'] });
    expect(viaToken.status).toBe(403);
    expect((await operator.post('/auth/tokens', { name: 'x', scopes: ['no.such'] })).status).toBe(400);
    expect(
      (await operator.post('/auth/tokens', { name: 'x', scopes: ['users.read'], expiresAt: '2001-01-01T00:00:00Z' }))
        .status,
    ).toBe(400);
  });

  it('should stop a token that is revoked, expired, or whose owner is deactivated', async () => {
    const admin = await api.as('admin');
    const make = async () => (await admin.post('/auth/tokens', { name: 't', scopes: ['users.read'] })).body;
    const revoked = await make();
    expect((await admin.delete(`/auth/tokens/${revoked.id}`)).status).toBe(204);
    const afterRevoke = await api.anonymous({ bearer: revoked.token }).get('/users');
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.body.error.message).toMatch(/revoked/);

    const expiring = await make();
    await authModels(api.db).ApiToken.updateOne(
      { _id: expiring.id },
      { $set: { expiresAt: new Date(Date.now() - 1000) } },
    );
    expect((await api.anonymous({ bearer: expiring.token }).get('/users')).status).toBe(401);

    const person = await api.createUser({ role: 'manager' });
    const theirs = await (
      await api.login(person.email, 'correct horse battery staple')
    ).post('/auth/tokens', { name: 'mine', scopes: ['users.read'] });
    expect((await api.anonymous({ bearer: theirs.body.token }).get('/users')).status).toBe(200);
    await userModels(api.db).User.updateOne({ _id: person.id }, { $set: { active: false } });
    expect((await api.anonymous({ bearer: theirs.body.token }).get('/users')).status).toBe(401);
    expect((await api.anonymous({ bearer: 'fit_made-up' }).get('/users')).status).toBe(401);
  });

  it("should not let one user revoke another's token", async () => {
    const manager = await api.as('manager');
    const token = (await manager.post('/auth/tokens', { name: 'private', scopes: ['users.read'] })).body;
    const admin = await api.as('admin');
    expect((await admin.delete(`/auth/tokens/${token.id}`)).status).toBe(404);
    expect((await api.anonymous({ bearer: token.token }).get('/users')).status).toBe(200);
  });
});
