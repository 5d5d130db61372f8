import type { RedisConnections } from '../redis/redis-connections.js';

/** A socket counts for this long after its last heartbeat: a crashed web process's sockets fade out. */
export const SOCKET_TTL_MS = 90_000;
export const HEARTBEAT_MS = 30_000;

const socketsKey = (userId: string) => `presence:sockets:${userId}`;
const awayKey = (userId: string) => `presence:away:${userId}`;

export type PresenceStatus = 'online' | 'away' | 'offline';
/** What a user may set: `offline` hides them although their inbox is open (nothing is assigned either). */
export type PresenceChoice = PresenceStatus;

/**
 * Who is at the inbox, kept in Redis so every web and worker process agrees: each open `/inbox`
 * socket is a member of its user's sorted set, scored by when it stops counting (renewed by its
 * process's heartbeat, removed on disconnect); `away` (or `offline`) is the user's own choice and outlasts sockets.
 */
export class OperatorPresence {
  constructor(private readonly redis: RedisConnections) {}

  async socketsAlive(sockets: { userId: string; socketId: string }[]): Promise<void> {
    if (sockets.length === 0) return;
    const client = await this.redis.commands();
    const until = Date.now() + SOCKET_TTL_MS;
    const batch = client.multi();
    for (const { userId, socketId } of sockets) {
      batch.zadd(socketsKey(userId), until, socketId);
      batch.pexpire(socketsKey(userId), SOCKET_TTL_MS);
    }
    await batch.exec();
  }

  async socketGone(userId: string, socketId: string): Promise<void> {
    const client = await this.redis.commands();
    await client.zrem(socketsKey(userId), socketId);
  }

  async choose(userId: string, choice: PresenceChoice): Promise<void> {
    const client = await this.redis.commands();
    if (choice === 'online') await client.del(awayKey(userId));
    else await client.set(awayKey(userId), choice);
  }

  async statusOf(userIds: string[]): Promise<Map<string, PresenceStatus>> {
    const statuses = new Map<string, PresenceStatus>();
    if (userIds.length === 0) return statuses;
    const client = await this.redis.commands();
    const now = Date.now();
    const batch = client.multi();
    for (const id of userIds) {
      batch.zremrangebyscore(socketsKey(id), '-inf', now);
      batch.zcard(socketsKey(id));
      batch.get(awayKey(id));
    }
    const replies = (await batch.exec()) ?? [];
    userIds.forEach((id, index) => {
      const sockets = Number(replies[index * 3 + 1]?.[1] ?? 0);
      const choice = replies[index * 3 + 2]?.[1];
      // '1' is how away was stored before a user could also choose offline.
      if (choice === 'offline') statuses.set(id, 'offline');
      else statuses.set(id, typeof choice === 'string' ? 'away' : sockets > 0 ? 'online' : 'offline');
    });
    return statuses;
  }
}
