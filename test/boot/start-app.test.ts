import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../server/boot/start-app.js';
import { loadConfig } from '../../server/config/config.js';
import { freePort } from '../../server/free-port.js';

const METRICS_TOKEN = 'a-long-metrics-token-for-tests';

describe('startApp', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'app-'));
  let app: App;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    const config = loadConfig({ PORT: String(port), DATA_DIR: dataDir, METRICS_TOKEN, LOG_LEVEL: 'silent' });
    app = await startApp(config, pino({ level: 'silent' }));
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should report readiness naming the embedded store and the Redis in use', async () => {
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, { kind?: string; source?: string; ok?: boolean }>;
    expect(body.store).toMatchObject({ kind: 'embedded', ok: true });
    expect(body.redis?.ok).toBe(true);
    expect(['local', 'managed', 'configured']).toContain(body.redis?.source);
  });

  it('should give every response a request id, and echo a valid incoming one', async () => {
    const generated = await fetch(`${base}/healthz`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'trace-42' } });
    expect(echoed.headers.get('x-request-id')).toBe('trace-42');
  });

  it('should answer unknown API routes with a JSON 404', async () => {
    const response = await fetch(`${base}/api/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('should serve Prometheus metrics only with the token, counting sockets', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status,
    ).toBe(401);
    const socket = connectSocket(base, { transports: ['websocket'] });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    try {
      const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain('http_request_duration_seconds_bucket');
      expect(text).toMatch(/realtime_connected_sockets 1\b/);
    } finally {
      socket.disconnect();
    }
  });
});
