import { Redis, type RedisOptions } from 'ioredis';

/**
 * Redis connections made the way BullMQ documents: workers (and blocking commands) need
 * `maxRetriesPerRequest: null` so a Redis restart pauses them instead of failing jobs; producers
 * (queues, the socket.io adapter) fail fast while Redis is away instead of queueing commands.
 */
export class RedisConnections {
  private readonly opened = new Set<Redis>();

  constructor(readonly url: string) {}

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

  /** Readiness check on a connection of its own, which waits briefly for a reconnect. */
  async ping(): Promise<void> {
    this.health ??= this.open({ maxRetriesPerRequest: 1, connectTimeout: 2000 });
    await this.health.ping();
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.opened].map((client) => client.quit().catch(() => client.disconnect())));
    this.opened.clear();
    this.health = undefined;
  }
}
