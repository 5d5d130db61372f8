import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/free-port.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface Started {
  child: ChildProcess;
  output: () => string;
}

/** `npm start` (as a user types it), or the script it runs (to see the server's own exit code). */
/** Every app this file starts: a failed assertion must not leave one running (on the shared Redis). */
const running = new Set<ChildProcess>();

function start(command: 'npm start' | 'start.mjs', port: number, dataDir: string): Started {
  let output = '';
  const [bin, args] = command === 'npm start' ? ['npm', ['start']] : [process.execPath, ['scripts/start.mjs']];
  // Its own process group, so a signal reaches npm and the server as a terminal's Ctrl-C does.
  const child = spawn(bin as string, args as string[], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_FORMAT: 'json', MONGODB_URI: '', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitReady(port: number, timeoutMs: number, started?: Started): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (response.status === 200) return (await response.json()) as Record<string, unknown>;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`not ready within ${timeoutMs} ms; it printed:\n${started?.output().slice(-3000) ?? ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stop(started: Started): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  process.kill(-started.child.pid!, 'SIGTERM');
  return { code: await exited, ms: Date.now() - t0 };
}

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'boot-'));
  afterAll(() => {
    for (const child of running) process.kill(-child.pid!, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should become ready on an empty data folder, stop on SIGTERM within 10 s and start again', async () => {
    const port = await freePort();
    const first = start('npm start', port, dataDir);
    // A fresh clone builds the server, the inbox and the widget first: minutes on a busy 2-core machine.
    const ready = await waitReady(port, 240_000, first);
    expect(ready).toMatchObject({ status: 'ready', store: { kind: 'embedded', ok: true }, redis: { ok: true } });
    expect(JSON.stringify(ready)).not.toMatch(/password|secret/i);
    // The line follows readiness once the start-up's last steps (the demo bot's webhook) are done.
    await waitFor(() => first.output().includes(`open http://localhost:${port}`), 30_000);
    expect(first.output()).toContain('demo workspace seeded: sign in as admin@demo.local');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);

    const stopped = await stop(first);
    expect(stopped.ms).toBeLessThan(10_000);
    await waitFor(() => first.output().includes('"msg":"stopped"'), 10_000);
    expect(readdirSync(join(dataDir, 'db'))).toContain('store.sqlite');

    // npm itself ends by the signal; the server it runs must exit 0, and reopen the same data.
    const second = start('start.mjs', port, dataDir);
    // Generous: under a loaded CI machine a rebuild by start.mjs can take a minute (the output says if it did).
    await waitReady(port, 120_000, second);
    const secondStop = await stop(second);
    expect(second.output()).not.toContain('demo workspace seeded');
    expect(secondStop.code).toBe(0);
    expect(secondStop.ms).toBeLessThan(10_000);
  }, 420_000);
});
