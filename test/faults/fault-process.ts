import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { progress } from './progress.js';

/**
 * One child process the fault tests start, kill with SIGKILL and start again with the same
 * command: the same port, the same data folder, so what comes back is the same service. Keeps the
 * last lines of its output for the message when it fails to come up.
 */
export class FaultProcess {
  private child: ChildProcess | undefined;
  private lines: string[] = [];
  /** How many times it was started. */
  starts = 0;

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    /** Resolves once the started process serves; gets the lines printed so far. */
    private readonly ready: (lines: () => string[]) => Promise<void>,
    /** Every line it prints is kept here too, across restarts (for a look after a failed run). */
    private readonly logFile?: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(timeoutMs = 150_000): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.lines = [];
    this.starts += 1;
    const child = spawn(this.command, this.args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.lines.push(line);
        if (this.logFile) appendFileSync(this.logFile, `${line}\n`);
        if (this.lines.length > 200) this.lines.shift();
      });
    }
    const exited = once(child, 'exit').then(() => {
      throw new Error(`${this.name} exited while starting:\n${this.lines.slice(-30).join('\n')}`);
    });
    const timedOut = new Promise<never>((_, reject) =>
      setTimeout(
        () =>
          reject(new Error(`${this.name} did not come up in ${timeoutMs} ms:\n${this.lines.slice(-30).join('\n')}`)),
        timeoutMs,
      ).unref(),
    );
    await Promise.race([this.ready(() => this.lines), exited, timedOut]);
    // Later exits are the test's own kills, or show up in the assertions.
    exited.catch(() => undefined);
  }

  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  /** kill -9: no shutdown handler runs, nothing is flushed. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  async restart(): Promise<void> {
    await this.kill();
    progress(`${this.name} killed`);
    await this.start();
    progress(`${this.name} serving again`);
  }

  output(): string[] {
    return [...this.lines];
  }
}

/** Polls `probe` until it resolves true (a refused connection counts as not yet). */
export async function pollUntil(probe: () => Promise<boolean>, intervalMs = 100): Promise<void> {
  for (;;) {
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves once a line matching `pattern` was printed. */
export function printed(pattern: RegExp): (lines: () => string[]) => Promise<void> {
  return (lines) => pollUntil(async () => lines().some((line) => pattern.test(line)), 50);
}
