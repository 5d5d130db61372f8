import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../server/paths.js';
import type { TestApi } from './api/api-harness.js';

/**
 * Worker processes (`ROLE=worker`) beside a web-only test app, for the tests that kill one with
 * SIGKILL mid-work: they share its store, Redis and data folder (its secrets key). `killAll` in
 * afterAll leaves none running on the shared Redis.
 */
export class WorkerProcesses {
  private readonly started: ChildProcess[] = [];

  constructor(private readonly api: () => TestApi) {}

  /** `env` adds what this test's app was given too (a provider stand-in's address). */
  start(env: Record<string, string> = {}): ChildProcess {
    const { app } = this.api();
    const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'server', 'boot', 'main.ts')], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        ROLE: 'worker',
        MONGODB_URI: app.database.uri,
        REDIS_URL: app.redis.url,
        DATA_DIR: app.config.dataDir,
        DEMO_DATA: 'false',
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.started.push(child);
    return child;
  }

  killAll(): void {
    for (const worker of this.started) if (worker.exitCode === null) worker.kill('SIGKILL');
  }
}
