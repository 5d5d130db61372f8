import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipBucket, LOGIN_WINDOW_SECONDS, MAX_LOGIN_FAILURES } from '../../server/auth/login-rate-limit.js';
import { startTestApi, TEST_PASSWORD, type TestApi } from '../api/api-harness.js';

/**
 * Password guessing through POST /auth/login, as an attacker would try it: many guesses at once
 * (a parallel burst must not get more tries than a slow series), one account from many addresses,
 * one address against many accounts, the same account spelt in other letter cases. The series
 * cases are also in test/api/auth-rate-limit.test.ts.
 */
describe('login brute force', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  const statuses = (answers: { status: number }[]) =>
    answers.reduce<Record<number, number>>(
      (count, { status }) => ({ ...count, [status]: (count[status] ?? 0) + 1 }),
      {},
    );

  it('should give a parallel burst against one account, from many addresses, no more tries than the limit', async () => {
    const person = await api.createUser({ role: 'operator' });
    const burst = await Promise.all(
      Array.from({ length: MAX_LOGIN_FAILURES * 3 }, (_, i) =>
        api.anonymous().post('/auth/login', { email: person.email, password: `guess ${i}` }),
      ),
    );
    expect(statuses(burst)).toEqual({ 401: MAX_LOGIN_FAILURES, 429: MAX_LOGIN_FAILURES * 2 });
    const refused = burst.find((answer) => answer.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(LOGIN_WINDOW_SECONDS - 60);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(LOGIN_WINDOW_SECONDS);
    // The right password is refused too until the window ends: a guess that hit would not be told apart.
    const russian = { headers: { 'accept-language': 'ru' } };
    const right = await api.anonymous(russian).post('/auth/login', { email: person.email, password: TEST_PASSWORD });
    expect(right.status).toBe(429);
    expect(right.body.error.message).toMatch(/Слишком много неудачных попыток входа/);
  });

  it('should count the account the same whatever the letter case and spaces of its e-mail', async () => {
    const person = await api.createUser({ role: 'operator' });
    const spellings = [person.email, person.email.toUpperCase(), `  ${person.email}  `];
    for (let i = 0; i < MAX_LOGIN_FAILURES; i++) {
      const email = spellings[i % spellings.length]!;
      expect((await api.anonymous().post('/auth/login', { email, password: `guess ${i}` })).status).toBe(401);
    }
    const next = await api.anonymous().post('/auth/login', { email: person.email.toUpperCase(), password: 'x' });
    expect(next.status).toBe(429);
  });

  it('should give a parallel burst from one address against many accounts no more tries than the limit', async () => {
    const attacker = api.anonymous();
    const burst = await Promise.all(
      Array.from({ length: MAX_LOGIN_FAILURES * 3 }, (_, i) =>
        attacker.post('/auth/login', { email: `guess-${i}-${Math.random()}@test.local`, password: 'password1' }),
      ),
    );
    expect(statuses(burst)).toEqual({ 401: MAX_LOGIN_FAILURES, 429: MAX_LOGIN_FAILURES * 2 });
    // The address stays blocked for a real account too; the account itself is not blocked elsewhere.
    const person = await api.createUser({ role: 'manager' });
    expect((await attacker.post('/auth/login', { email: person.email, password: TEST_PASSWORD })).status).toBe(429);
    expect((await api.anonymous().post('/auth/login', { email: person.email, password: TEST_PASSWORD })).status).toBe(
      200,
    );
  });

  it('should count an IPv6 sender by its /64, so rotating addresses in it buys no more guesses', async () => {
    expect(ipBucket('2001:db8:aa:bb:1:2:3:4')).toBe('2001:db8:aa:bb::/64');
    expect(ipBucket('2001:db8:aa:bb::9')).toBe('2001:db8:aa:bb::/64');
    expect(ipBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(ipBucket('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(ipBucket('10.1.2.3')).toBe('10.1.2.3');
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:7`;
    const guess = (i: number, email: string, password: string) =>
      fetch(`${api.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        // The test's requests come from loopback, a trusted proxy: its X-Forwarded-For is the sender.
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `${prefix}:${i.toString(16)}:0:0:1` },
        body: JSON.stringify({ email, password }),
      });
    for (let i = 0; i < MAX_LOGIN_FAILURES; i++) {
      expect((await guess(i, `v6-${i}-${Math.random()}@test.local`, 'password1')).status).toBe(401);
    }
    const person = await api.createUser({ role: 'operator' });
    expect((await guess(0xffff, person.email, TEST_PASSWORD)).status).toBe(429);
  });

  it('should not block an office whose people all sign in from one address', async () => {
    const office = api.anonymous();
    for (let i = 0; i < MAX_LOGIN_FAILURES * 2; i++) {
      const person = await api.createUser({ role: 'operator' });
      const answer = await office.post('/auth/login', { email: person.email, password: TEST_PASSWORD });
      expect(answer.status, `sign-in ${i + 1}`).toBe(200);
      // The next person at the same machine signs in with no session of the last one.
      office.cookie = undefined;
      office.csrfToken = undefined;
    }
    // A few typos among them still leave the office room to work.
    for (let i = 0; i < MAX_LOGIN_FAILURES - 1; i++) {
      await office.post('/auth/login', { email: `typo-${i}@test.local`, password: 'typo' });
    }
    const person = await api.createUser({ role: 'operator' });
    expect((await office.post('/auth/login', { email: person.email, password: TEST_PASSWORD })).status).toBe(200);
  });
});
