import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { RedisConnections } from '../redis/redis-connections.js';
import { realtimeChannelKey } from './realtime-channel-key.js';
import { createRecoverableAdapter } from './recoverable-redis-adapter.js';

/** How long a dropped socket may take to come back and still get what it missed. */
const MAX_DISCONNECTION_MS = 2 * 60 * 1000;

/**
 * Socket.IO on the app's HTTP server. The Redis adapter is always on, so a second web process
 * (or a worker's emitter) reaches the same clients without a configuration change; it keeps what
 * it delivers for a while, so a socket back from a brief disconnect gets what it missed
 * (connection-state recovery, which the plain Redis adapter does not do).
 */
export function createRealtime(
  httpServer: HttpServer,
  redis: RedisConnections,
  metrics: Metrics,
  logger: Logger,
): Server {
  const io = new Server(httpServer, {
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: MAX_DISCONNECTION_MS },
  });
  const [pubClient, subClient] = [redis.forSubscriber(), redis.forSubscriber()];
  // The adapter publishes each push without waiting for Redis's answer. One refused while the app
  // stops (its Redis connections closing under a presence push of a leaving socket) must not end
  // the process, mid-shutdown, as an unhandled rejection.
  const publish = pubClient.publish.bind(pubClient);
  pubClient.publish = ((...args: Parameters<typeof publish>) => {
    const sent = publish(...args);
    sent.catch((error: unknown) => logger.debug({ err: error }, 'realtime push not published to Redis'));
    return sent;
  }) as typeof pubClient.publish;
  io.adapter(
    createRecoverableAdapter(pubClient, subClient, {
      key: realtimeChannelKey(redis),
      maxDisconnectionMs: MAX_DISCONNECTION_MS,
    }),
  );
  io.on('connection', (socket) => {
    metrics.sockets.inc();
    socket.on('disconnect', () => metrics.sockets.dec());
  });
  io.engine.on('connection_error', (error: { message?: string }) =>
    logger.debug({ reason: error.message }, 'socket connection refused'),
  );
  return io;
}
