import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

/** How benches run the compiled app: no demo, quiet JSON logs, production mode. */
export const APP_ENV = { DEMO_DATA: 'false', LOG_LEVEL: 'warn', LOG_FORMAT: 'json', NODE_ENV: 'production' } as const;

/**
 * A node process of a bench, its output piped: resolved once its output shows `ready`, at once
 * without one; rejected if it exits first.
 */
export async function startChild(args: string[], env: Record<string, string>, ready?: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (ready !== undefined) {
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes(ready)) resolve();
      });
    });
  }
  child.stdout!.resume();
  return child;
}

/** Stops a bench's process (SIGTERM, as a deploy does) and waits for it to go. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
