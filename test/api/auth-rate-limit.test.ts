import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LOGIN_FAILURES } from '../../server/auth/login-rate-limit.js';
import { startTestApi, TEST_PASSWORD, type TestApi } from './api-harness.js';

describe('login rate limit', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should answer 429 with Retry-After after too many failures for one account, from any IP', async () => {
    const person = await api.createUser({ role: 'operator' });
    for (let i = 0; i < MAX_LOGIN_FAILURES; i++) {
      // A new client per attempt is a new IP: the account's own counter must trip.
      expect((await api.anonymous().post('/auth/login', { email: person.email, password: `wrong ${i}` })).status).toBe(
        401,
      );
    }
    const blocked = await api.anonymous().post('/auth/login', { email: person.email, password: TEST_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.message).toMatch(/Too many failed sign-in attempts/);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(
      (await api.anonymous().post('/auth/login', { email: 'admin@test.local', password: TEST_PASSWORD })).status,
    ).toBe(200);
  });

  it('should block one IP guessing many accounts', async () => {
    const attacker = api.anonymous();
    for (let i = 0; i < MAX_LOGIN_FAILURES; i++) {
      await attacker.post('/auth/login', { email: `guess${i}-${Math.random()}@test.local`, password: 'wrong' });
    }
    expect((await attacker.post('/auth/login', { email: 'manager@test.local', password: TEST_PASSWORD })).status).toBe(
      429,
    );
    expect(
      (await api.anonymous().post('/auth/login', { email: 'manager@test.local', password: TEST_PASSWORD })).status,
    ).toBe(200);
  });

  it('should clear the account counter after a successful sign-in', async () => {
    const person = await api.createUser({ role: 'marketer' });
    for (let i = 0; i < MAX_LOGIN_FAILURES - 1; i++)
      await api.anonymous().post('/auth/login', { email: person.email, password: 'wrong' });
    expect((await api.anonymous().post('/auth/login', { email: person.email, password: TEST_PASSWORD })).status).toBe(
      200,
    );
    for (let i = 0; i < MAX_LOGIN_FAILURES - 1; i++)
      await api.anonymous().post('/auth/login', { email: person.email, password: 'wrong' });
    expect((await api.anonymous().post('/auth/login', { email: person.email, password: TEST_PASSWORD })).status).toBe(
      200,
    );
  });
});
