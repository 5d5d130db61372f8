import { once } from 'node:events';
import { Redis, type RedisOptions } from 'ioredis';
import { RedisUnavailableError } from './redis-unavailable-error.js';

/**
 * Redis connections made the way BullMQ documents: workers (and blocking commands) need
 * `maxRetriesPerRequest: null` so a Redis restart pauses them instead of failing jobs; producers
 * (queues, the socket.io adapter) fail fast while Redis is away instead of queueing commands.
 */
export class RedisConnections {
  private readonly opened = new Set<Redis>();

  /** `namespace`: redisNamespace() of the installation; plain commands get it as their key prefix. */
  constructor(
    readonly url: string,
    readonly namespace: string,
  ) {}

  private open(options: RedisOptions): Redis {
    const client = new Redis(this.url, options);
    client.on('error', () => undefined);
    this.opened.add(client);
    client.once('end', () => this.opened.delete(client));
    return client;
  }

  forWorker(): Redis {
    return this.open({ maxRetriesPerRequest: null });
  }

  forProducer(): Redis {
    return this.open({ maxRetriesPerRequest: 1, enableOfflineQueue: false });
  }

  /** Subscriber connections (socket.io adapter) reconnect and resubscribe on their own. */
  forSubscriber(): Redis {
    return this.open({ maxRetriesPerRequest: null });
  }

  private health: Redis | undefined;
  private shared: Redis | undefined;

  /**
   * One connection shared by plain commands (rate limits, counters), once it is ready: a producer
   * connection has no offline queue, so a command sent before the connection is up would fail.
   */
  async commands(timeoutMs = 3000): Promise<Redis> {
    this.shared ??= this.open({ maxRetriesPerRequest: 1, enableOfflineQueue: false, keyPrefix: `${this.namespace}:` });
    const client = this.shared;
    if (client.status === 'ready') return client;
    await Promise.race([
      once(client, 'ready'),
      new Promise((_, reject) => setTimeout(() => reject(new RedisUnavailableError(timeoutMs)), timeoutMs).unref()),
    ]);
    return client;
  }

  /** Readiness check on a connection of its own, which waits briefly for a reconnect. */
  async ping(): Promise<void> {
    this.health ??= this.open({ maxRetriesPerRequest: 1, connectTimeout: 2000 });
    await this.health.ping();
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.opened].map((client) => client.quit().catch(() => client.disconnect())));
    this.opened.clear();
    this.health = undefined;
    this.shared = undefined;
  }
}
