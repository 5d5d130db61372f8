import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../server/boot/start-app.js';
import { loadConfig } from '../../server/config/config.js';
import { freePort } from '../../server/free-port.js';

describe('first-start setup', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'setup-'));
  let app: App;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    // A real install: no demo workspace, so the empty store asks for its first admin.
    app = await startApp(
      loadConfig({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_DATA: 'false' }),
      pino({ level: 'silent' }),
    );
    base = `http://127.0.0.1:${port}/api/v1`;
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('should create exactly one first admin when several setups race, then refuse more', async () => {
    expect(await (await fetch(`${base}/auth/setup`)).json()).toEqual({ needsSetup: true });
    expect((await post('/auth/setup', { name: 'A', email: 'a@x.ru', password: 'short' })).status).toBe(400);
    const attempts = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        post('/auth/setup', { name: `Admin ${n}`, email: `admin${n}@x.ru`, password: 'long enough password' }),
      ),
    );
    const statuses = attempts.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409]);
    const winner = attempts.find((r) => r.status === 201)!;
    const body = (await winner.json()) as { user: { role: string }; csrfToken: string };
    expect(body.user.role).toBe('admin');
    expect(winner.headers.getSetCookie().some((c) => c.startsWith('sid='))).toBe(true);
    expect(await (await fetch(`${base}/auth/setup`)).json()).toEqual({ needsSetup: false });
    expect(
      (await post('/auth/setup', { name: 'Late', email: 'late@x.ru', password: 'long enough password' })).status,
    ).toBe(409);
    expect(await app.database.mongoose.connection.collection('users').countDocuments()).toBe(1);
  });
});
