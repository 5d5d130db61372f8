import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { StoreServerOptions } from '../store/index.js';

type ThreadMessage =
  { type: 'ready'; uri: string } | { type: 'failed'; error: string } | { type: 'closed'; error?: string };

/** Where the thread's entry is: compiled next to this file, or (tests, tsx) its TypeScript source. */
function startWorker(options: StoreServerOptions): Worker {
  const compiled = new URL('./store-thread-main.js', import.meta.url);
  if (import.meta.url.endsWith('.js')) return new Worker(compiled, { workerData: options });
  // Running from TypeScript sources: the thread registers the same loader before importing its entry.
  const source = fileURLToPath(new URL('./store-thread-main.ts', import.meta.url));
  return new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`,
    { eval: true, workerData: options },
  );
}

/** The embedded store running on a thread of its own; `uri` is its loopback address. */
export class EmbeddedStoreThread {
  private constructor(
    private readonly worker: Worker,
    readonly uri: string,
  ) {}

  static async start(options: StoreServerOptions): Promise<EmbeddedStoreThread> {
    const worker = startWorker(options);
    const [message] = (await Promise.race([
      once(worker, 'message'),
      once(worker, 'error').then(([error]) => {
        throw error;
      }),
      // A thread that ends without a word (killed, out of memory) must not leave the start waiting.
      once(worker, 'exit').then(([code]) => {
        throw new Error(`The store thread exited with code ${String(code)} before it was ready`);
      }),
    ])) as [ThreadMessage];
    if (message.type !== 'ready') {
      await worker.terminate();
      throw new Error(message.type === 'failed' ? message.error : 'The store thread did not start');
    }
    return new EmbeddedStoreThread(worker, message.uri);
  }

  /** Closes the store cleanly (its data files checkpointed), then ends the thread. */
  async close(): Promise<void> {
    const closed = once(this.worker, 'message');
    this.worker.postMessage('close');
    await Promise.race([closed, once(this.worker, 'exit')]);
    await this.worker.terminate();
  }
}
