import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server } from 'socket.io';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { RedisConnections } from '../redis/redis-connections.js';
import { realtimeChannelKey } from './realtime-channel-key.js';

/**
 * Socket.IO on the app's HTTP server. The Redis adapter is always on, so a second web process
 * (or a worker's emitter) reaches the same clients without a configuration change.
 */
export function createRealtime(
  httpServer: HttpServer,
  redis: RedisConnections,
  metrics: Metrics,
  logger: Logger,
): Server {
  const io = new Server(httpServer, {
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000 },
  });
  io.adapter(createAdapter(redis.forSubscriber(), redis.forSubscriber(), { key: realtimeChannelKey(redis) }));
  io.on('connection', (socket) => {
    metrics.sockets.inc();
    socket.on('disconnect', () => metrics.sockets.dec());
  });
  io.engine.on('connection_error', (error: { message?: string }) =>
    logger.debug({ reason: error.message }, 'socket connection refused'),
  );
  return io;
}
