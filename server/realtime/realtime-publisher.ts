import { Emitter } from '@socket.io/redis-emitter';
import type { Server } from 'socket.io';
import type { RedisConnections } from '../redis/redis-connections.js';
import { realtimeChannelKey } from './realtime-channel-key.js';

/**
 * The one way server code pushes to browsers. In a web process it emits through the local
 * Socket.IO server (whose Redis adapter reaches the other web processes); in a worker process,
 * which has no Socket.IO server, it publishes the same packets through Redis.
 */
export interface RealtimePublisher {
  emit(namespace: '/inbox' | '/visitor', rooms: string[], event: string, payload: unknown): void;
  /** Closes the sockets in these rooms, in every web process; a client that may still connect comes back. */
  disconnect(namespace: '/inbox' | '/visitor', rooms: string[]): void;
}

export function createRealtimePublisher(io: Server | undefined, redis: RedisConnections): RealtimePublisher {
  if (io) {
    return {
      emit(namespace, rooms, event, payload) {
        if (rooms.length > 0) io.of(namespace).to(rooms).emit(event, payload);
      },
      disconnect(namespace, rooms) {
        if (rooms.length > 0) io.of(namespace).in(rooms).disconnectSockets();
      },
    };
  }
  const emitter = new Emitter(redis.forSubscriber(), { key: realtimeChannelKey(redis) });
  return {
    emit(namespace, rooms, event, payload) {
      if (rooms.length > 0) emitter.of(namespace).to(rooms).emit(event, payload);
    },
    disconnect(namespace, rooms) {
      if (rooms.length > 0) emitter.of(namespace).in(rooms).disconnectSockets();
    },
  };
}
