import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../server/free-port.js';
import { PROJECT_ROOT } from '../../server/paths.js';
import { redisNamespace } from '../../server/redis/redis-namespace.js';

/** One process of the cluster: the standalone store, a web process or a worker. */
export interface ClusterProcess {
  name: string;
  child: ChildProcess;
  /** The HTTP port of a web process (the store's port for the store; 0 for a worker). */
  port: number;
  /** The last of what it printed, for a failure's message. */
  output(): string;
}

const OUTPUT_KEPT = 20_000;
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

function spawnLogged(name: string, args: string[], env: Record<string, string>): ClusterProcess & { seen: string } {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const entry = { name, child, port: 0, seen: '', output: () => entry.seen };
  const keep = (chunk: Buffer) => (entry.seen = (entry.seen + chunk.toString()).slice(-OUTPUT_KEPT));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return entry;
}

async function waitFor(what: string, probe: () => Promise<boolean> | boolean, process: ClusterProcess, ms: number) {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (process.child.exitCode !== null) throw new Error(`${process.name} exited before ${what}:\n${process.output()}`);
    if (Date.now() > deadline) throw new Error(`${process.name}: no ${what} within ${ms} ms:\n${process.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * An installation as docker-compose runs it, on this machine: the embedded store as its own
 * process (`npm run store`, where compose has MongoDB), one Redis, and web (`ROLE=web`) and worker
 * (`ROLE=worker`) processes started the way the image starts them. They share what the
 * containers share: the store address, REDIS_URL, CHANNEL_SECRETS_KEY (which also names the
 * installation's queues and realtime channels in Redis, so this cluster hears no other test's
 * app) and the data folder.
 */
export class ScaleCluster {
  readonly secretsKey = randomBytes(32).toString('base64');
  private readonly root = mkdtempSync(join(tmpdir(), 'scale-'));
  private readonly running = new Set<ClusterProcess>();
  private store: ClusterProcess | undefined;
  private storeUri = '';

  /** Starts the store; the app processes come after, each with `startWeb` / `startWorker`. */
  static async start(): Promise<ScaleCluster> {
    const cluster = new ScaleCluster();
    await cluster.startStore();
    return cluster;
  }

  private async startStore(): Promise<void> {
    const port = await freePort();
    const store = spawnLogged(
      'store',
      [join('server', 'store', 'cli.ts'), '--port', String(port), '--data', join(this.root, 'db')],
      {},
    );
    this.track(store);
    await waitFor('"store listening"', () => store.seen.includes('store listening on'), store, 30_000);
    store.port = port;
    this.store = store;
    this.storeUri = `mongodb://127.0.0.1:${port}/funnel`;
  }

  private appEnv(role: 'web' | 'worker', extra: Record<string, string>): Record<string, string> {
    return {
      ROLE: role,
      HOST: '127.0.0.1',
      MONGODB_URI: this.storeUri,
      REDIS_URL,
      CHANNEL_SECRETS_KEY: this.secretsKey,
      DATA_DIR: join(this.root, 'app-data'),
      DEMO_DATA: 'false',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      NODE_ENV: 'test',
      ...extra,
    };
  }

  /** A web process on `port` (a free one unless given: a restart keeps its port), once /readyz says ready. */
  async startWeb(name: string, env: Record<string, string> = {}, port?: number): Promise<ClusterProcess> {
    const listenOn = port ?? (await freePort());
    const web = spawnLogged(name, [join('server', 'boot', 'main.ts')], {
      ...this.appEnv('web', env),
      PORT: String(listenOn),
    });
    web.port = listenOn;
    this.track(web);
    const ready = async () => {
      try {
        return (await fetch(`http://127.0.0.1:${listenOn}/readyz`)).status === 200;
      } catch {
        return false;
      }
    };
    await waitFor('ready answer', ready, web, 150_000);
    return web;
  }

  /** A worker process, once it logged that it started (it has no HTTP server to ask). */
  async startWorker(name: string, env: Record<string, string> = {}): Promise<ClusterProcess> {
    const worker = spawnLogged(name, [join('server', 'boot', 'main.ts')], this.appEnv('worker', env));
    this.track(worker);
    await waitFor('"started" log line', () => worker.seen.includes('"msg":"started:'), worker, 150_000);
    return worker;
  }

  /** SIGTERM, as `docker stop` sends it; resolves with the exit code and how long the stop took. */
  async stop(process: ClusterProcess): Promise<{ code: number | null; ms: number }> {
    const startedAt = Date.now();
    if (process.child.exitCode !== null) return { code: process.child.exitCode, ms: 0 };
    const exited = once(process.child, 'exit');
    process.child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    return { code, ms: Date.now() - startedAt };
  }

  /** Stops the app processes, then the store; whatever does not stop in time is killed. Clears its Redis keys. */
  async close(): Promise<void> {
    const apps = [...this.running].filter((process) => process !== this.store);
    await Promise.all(apps.map((process) => this.stopOrKill(process)));
    if (this.store) await this.stopOrKill(this.store);
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      const prefix = redisNamespace(Buffer.from(this.secretsKey, 'base64'));
      for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
        if (keys.length > 0) await redis.del(...keys);
      }
    } finally {
      redis.disconnect();
    }
    rmSync(this.root, { recursive: true, force: true });
  }

  private async stopOrKill(process: ClusterProcess): Promise<void> {
    const timer = setTimeout(() => process.child.kill('SIGKILL'), 15_000);
    await this.stop(process);
    clearTimeout(timer);
  }

  private track(process: ClusterProcess): void {
    this.running.add(process);
    process.child.once('exit', () => this.running.delete(process));
  }
}
