import type { RedisConnections } from '../redis/redis-connections.js';

/** The Socket.IO adapter's (and a worker emitter's) pub/sub channel prefix, inside the installation's Redis namespace. */
export function realtimeChannelKey(redis: RedisConnections): string {
  return `${redis.namespace}:socket.io`;
}
