import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../server/free-port.js';
import { pingRedis } from '../../server/redis/discover-redis.js';
import { compileApp } from './compile-app.js';
import { FaultProcess, pollUntil, printed } from './fault-process.js';

/** The database the app processes use on the standalone store. */
export const FAULT_DB = 'funnel';

export interface FaultSystem {
  /** e.g. http://127.0.0.1:41234: the web process, the same address after every restart. */
  baseUrl: string;
  storeUri: string;
  redisUrl: string;
  redis: FaultProcess;
  store: FaultProcess;
  web: FaultProcess;
  worker: FaultProcess;
  /** Stops every process (SIGKILL) and removes the data folders. */
  close(): Promise<void>;
}

/**
 * The app as production runs it, each part a process of its own that a test may kill -9: a
 * test-owned Redis that writes every command to its append-only file before answering, the
 * embedded store run standalone (`npm run store`), one web process and one worker process, all
 * from the server as built for `npm start`. The ports and folders stay the same across restarts.
 */
export async function startFaultSystem(providers: Record<string, string>): Promise<FaultSystem> {
  const build = await compileApp();
  const root = mkdtempSync(join(tmpdir(), 'faults-'));
  const redisDir = join(root, 'redis');
  const storeDir = join(root, 'db');
  const dataDir = join(root, 'data');
  for (const dir of [redisDir, storeDir, dataDir]) mkdirSync(dir, { recursive: true });
  const [redisPort, storePort, webPort] = [await freePort(), await freePort(), await freePort()];
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  const storeUri = `mongodb://127.0.0.1:${storePort}`;
  const baseUrl = `http://127.0.0.1:${webPort}`;

  const redis = new FaultProcess(
    'redis',
    'redis-server',
    [
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--dir',
      redisDir,
      '--appendonly',
      'yes',
      // Every write is on disk before Redis answers it: a kill -9 loses nothing acknowledged.
      '--appendfsync',
      'always',
      '--save',
      '',
    ],
    process.env,
    () => pollUntil(() => pingRedis(redisUrl, 500).then(() => true)),
    join(root, 'redis.log'),
  );
  const compiled = (script: string, args: string[] = []) => [join(build.dir, script), ...args];
  const store = new FaultProcess(
    'store',
    process.execPath,
    compiled('server/store/cli.js', ['--port', String(storePort), '--data', storeDir]),
    process.env,
    printed(/store listening on/),
    join(root, 'store.log'),
  );
  const secretsKey = randomBytes(32).toString('base64');
  const appEnv = (role: 'web' | 'worker', logLevel: string): NodeJS.ProcessEnv => ({
    ...process.env,
    ROLE: role,
    PORT: String(webPort),
    PUBLIC_URL: baseUrl,
    MONGODB_URI: `${storeUri}/${FAULT_DB}`,
    REDIS_URL: redisUrl,
    DATA_DIR: dataDir,
    // Every process of one installation shares the key (and so the Redis namespace).
    CHANNEL_SECRETS_KEY: secretsKey,
    DEMO_DATA: 'false',
    LOG_LEVEL: logLevel,
    LOG_FORMAT: 'json',
    ...providers,
  });
  const web = new FaultProcess(
    'web',
    process.execPath,
    compiled('server/boot/main.js'),
    appEnv('web', 'warn'),
    () => pollUntil(async () => (await fetch(`${baseUrl}/readyz`)).status === 200),
    join(root, 'web.log'),
  );
  const worker = new FaultProcess(
    'worker',
    process.execPath,
    compiled('server/boot/main.js'),
    appEnv('worker', 'info'),
    printed(/"msg":"started/),
    join(root, 'worker.log'),
  );

  const close = async () => {
    for (const part of [web, worker, store, redis]) await part.kill();
    build.remove();
    // FAULTS_KEEP=1 keeps the data and the processes' logs for a look after a failed run.
    if (process.env.FAULTS_KEEP) process.stderr.write(`fault test data and logs kept in ${root}\n`);
    else rmSync(root, { recursive: true, force: true });
  };
  try {
    await redis.start();
    await store.start();
    await Promise.all([web.start(), worker.start()]);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    baseUrl,
    storeUri,
    redisUrl,
    redis,
    store,
    web,
    worker,
    close,
  };
}
