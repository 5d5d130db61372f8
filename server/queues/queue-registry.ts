import { Queue, Worker, type Job, type RateLimiterOptions } from 'bullmq';
import type { Logger } from '../observability/logger.js';
import type { RedisConnections } from '../redis/redis-connections.js';

const COUNTED_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized'] as const;

/**
 * The process's BullMQ queues and workers, in one place: features register a queue (and, in a
 * process with the worker role, its processor); metrics read the depths; shutdown closes all,
 * letting workers finish the job in hand.
 */
export class QueueRegistry {
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Map<string, Worker>();

  constructor(
    private readonly connections: RedisConnections,
    private readonly runsWorkers: boolean,
    private readonly logger: Logger,
  ) {}

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connections.forProducer(), prefix: this.connections.namespace });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /**
   * Starts consuming `name` when this process runs workers; a no-op in a web-only process. The
   * processor gets its worker too, for `worker.rateLimit` when a provider asks us to slow down.
   */
  process<T>(
    name: string,
    processor: (job: Job<T>, token: string | undefined, worker: Worker<T>) => Promise<unknown>,
    options: {
      concurrency?: number;
      limiter?: RateLimiterOptions;
      stalledInterval?: number;
      lockDuration?: number;
    } = {},
  ): Worker<T> | undefined {
    this.queue(name);
    if (!this.runsWorkers || this.workers.has(name)) return undefined;
    const worker: Worker<T> = new Worker<T>(name, (job, token) => processor(job, token, worker), {
      connection: this.connections.forWorker(),
      prefix: this.connections.namespace,
      concurrency: options.concurrency ?? 1,
      ...(options.limiter ? { limiter: options.limiter } : {}),
      ...(options.stalledInterval ? { stalledInterval: options.stalledInterval } : {}),
      ...(options.lockDuration ? { lockDuration: options.lockDuration } : {}),
    });
    worker.on('failed', (job, error) => this.logger.warn({ queue: name, jobId: job?.id, err: error }, 'job failed'));
    worker.on('error', (error) => this.logger.error({ queue: name, err: error }, 'worker error'));
    this.workers.set(name, worker);
    return worker;
  }

  /** Stops consuming `name` here (the job in hand finishes); its queue stays. */
  async stopProcessing(name: string): Promise<void> {
    const worker = this.workers.get(name);
    this.workers.delete(name);
    await worker?.close();
  }

  isProcessing(name: string): boolean {
    return this.workers.has(name);
  }

  get workerCount(): number {
    return this.workers.size;
  }

  async depths(): Promise<{ queue: string; state: string; count: number }[]> {
    const rows: { queue: string; state: string; count: number }[] = [];
    for (const [name, queue] of this.queues) {
      const counts = await queue.getJobCounts(...COUNTED_STATES);
      for (const state of COUNTED_STATES) rows.push({ queue: name, state, count: counts[state] ?? 0 });
    }
    return rows;
  }

  async close(): Promise<void> {
    await Promise.all([...this.workers.values()].map((worker) => worker.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
