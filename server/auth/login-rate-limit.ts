import type { Redis } from 'ioredis';
import { ApiError, tooManyRequests } from '../api/api-error.js';
import type { RedisConnections } from '../redis/redis-connections.js';
import { RedisUnavailableError } from '../redis/redis-unavailable-error.js';
import { hashSecret } from './secrets.js';

export const MAX_LOGIN_FAILURES = 10;
export const LOGIN_WINDOW_SECONDS = 15 * 60;

async function redisOf(connections: RedisConnections): Promise<Redis> {
  try {
    return await connections.commands();
  } catch (error) {
    if (!(error instanceof RedisUnavailableError)) throw error;
    throw new ApiError(503, 'unavailable', 'Sign-in is unavailable for a moment; try again');
  }
}

function keysFor(ip: string, email: string): string[] {
  // The e-mail is hashed so the Redis keyspace does not become a list of who tried to sign in.
  return [`auth:login-failures:ip:${ip}`, `auth:login-failures:account:${hashSecret(email)}`];
}

/**
 * Failed sign-ins counted per IP and per account in Redis over a fixed 15-minute window: past
 * 10 failures either one answers 429 with Retry-After until the window ends. Successes do not
 * count, and a success clears the account's counter (not the IP's: one IP guessing many
 * accounts stays slowed down).
 */
export const loginRateLimit = {
  async check(connections: RedisConnections, ip: string, email: string): Promise<void> {
    const redis = await redisOf(connections);
    const keys = keysFor(ip, email);
    const counts = await redis.mget(...keys);
    const blocked = keys.filter((_, i) => Number(counts[i] ?? 0) >= MAX_LOGIN_FAILURES);
    if (blocked.length === 0) return;
    const ttls = await Promise.all(blocked.map((key) => redis.ttl(key)));
    const seconds = Math.max(1, ...ttls);
    const minutes = Math.ceil(seconds / 60);
    throw tooManyRequests(
      `Too many failed sign-in attempts. Try again in ${minutes} min. / Слишком много неудачных попыток входа. Повторите через ${minutes} мин.`,
      seconds,
    );
  },

  async recordFailure(connections: RedisConnections, ip: string, email: string): Promise<void> {
    const redis = await redisOf(connections);
    const batch = redis.multi();
    for (const key of keysFor(ip, email)) batch.set(key, 0, 'EX', LOGIN_WINDOW_SECONDS, 'NX').incr(key);
    await batch.exec();
  },

  async recordSuccess(connections: RedisConnections, ip: string, email: string): Promise<void> {
    const redis = await redisOf(connections);
    await redis.del(keysFor(ip, email)[1]!);
  },
};
