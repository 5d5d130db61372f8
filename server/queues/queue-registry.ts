import { Queue, Worker, type Processor } from 'bullmq';
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
  private readonly workers: Worker[] = [];

  constructor(
    private readonly connections: RedisConnections,
    private readonly runsWorkers: boolean,
    private readonly logger: Logger,
  ) {}

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connections.forProducer() });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Starts consuming `name` when this process runs workers; a no-op in a web-only process. */
  process<T>(name: string, processor: Processor<T>, concurrency = 1): void {
    this.queue(name);
    if (!this.runsWorkers) return;
    const worker = new Worker<T>(name, processor, { connection: this.connections.forWorker(), concurrency });
    worker.on('failed', (job, error) => this.logger.warn({ queue: name, jobId: job?.id, err: error }, 'job failed'));
    worker.on('error', (error) => this.logger.error({ queue: name, err: error }, 'worker error'));
    this.workers.push(worker);
  }

  get workerCount(): number {
    return this.workers.length;
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
    await Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
