import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../free-port.js';

export type RedisSource = 'configured' | 'local' | 'managed';

export interface RedisEndpoint {
  url: string;
  source: RedisSource;
  /** Stops the managed redis-server child, if this process started one. */
  stop(): Promise<void>;
}

/** Redis cannot be reached or started: a message for the person running the app. */
export class RedisUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUnavailableError';
  }
}

export const REDIS_INSTALL_HELP = [
  'Install Redis, or set REDIS_URL to one that runs elsewhere:',
  '  Debian/Ubuntu: sudo apt-get install -y redis-server',
  '  macOS:         brew install redis && brew services start redis',
  '  Docker:        docker run -d --name redis -p 6379:6379 redis:7-alpine',
].join('\n');

/** The URL with its password replaced, for messages and /readyz. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

export async function pingRedis(url: string, timeoutMs: number): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}

async function startManagedRedis(command: string, dataDir: string): Promise<RedisEndpoint | undefined> {
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child: ChildProcess = spawn(
    command,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--save',
      '',
      '--daemonize',
      'no',
    ],
    { stdio: 'ignore' },
  );
  const spawned = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!spawned) return undefined;
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await pingRedis(url, 500);
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new RedisUnavailableError(`redis-server was found but did not start: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    source: 'managed',
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        // SIGTERM makes Redis flush its append-only file before it exits.
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface DiscoverRedisOptions {
  /** REDIS_URL, when the operator set one. */
  configuredUrl?: string;
  /** Where a Redis of this machine would answer. */
  localUrl?: string;
  /** The app's data folder; a managed Redis keeps its append-only file under `redis/`. */
  dataDir: string;
  /** The redis-server executable to start when nothing answers. */
  redisServerCommand?: string;
}

/**
 * Finds the Redis to use: REDIS_URL if set (and it must answer); else one on this machine's
 * default port; else a redis-server started from PATH as a child of this process; else a clear
 * error naming how to install Redis.
 */
export async function discoverRedis(options: DiscoverRedisOptions): Promise<RedisEndpoint> {
  const noop = async () => undefined;
  if (options.configuredUrl) {
    try {
      await pingRedis(options.configuredUrl, 3000);
    } catch (error) {
      throw new RedisUnavailableError(
        `REDIS_URL (${redactUrl(options.configuredUrl)}) does not answer: ${(error as Error).message}.\n` +
          'Check the address, or unset REDIS_URL to use a Redis on this machine.',
      );
    }
    return { url: options.configuredUrl, source: 'configured', stop: noop };
  }
  const localUrl = options.localUrl ?? 'redis://127.0.0.1:6379';
  try {
    await pingRedis(localUrl, 500);
    return { url: localUrl, source: 'local', stop: noop };
  } catch {
    // Nothing answers locally: try to start one.
  }
  const managed = await startManagedRedis(options.redisServerCommand ?? 'redis-server', options.dataDir);
  if (managed) return managed;
  throw new RedisUnavailableError(
    `No Redis answers at ${localUrl} and redis-server is not on PATH.\n${REDIS_INSTALL_HELP}`,
  );
}
