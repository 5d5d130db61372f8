import type { Redis } from 'ioredis';
import { ApiError, tooManyRequests } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import type { RedisConnections } from '../redis/redis-connections.js';
import { RedisUnavailableError } from '../redis/redis-unavailable-error.js';
import { hashSecret } from './secrets.js';

export const MAX_LOGIN_FAILURES = 10;
export const LOGIN_WINDOW_SECONDS = 15 * 60;

/** DECR that never creates a key (nor takes it below zero) and leaves its expiry as it is. */
const GIVE_BACK = `if tonumber(redis.call('get', KEYS[1]) or '0') > 0 then return redis.call('decr', KEYS[1]) end return 0`;

async function redisOf(connections: RedisConnections): Promise<Redis> {
  try {
    return await connections.commands();
  } catch (error) {
    if (!(error instanceof RedisUnavailableError)) throw error;
    throw new ApiError(503, 'unavailable', errorTexts.say('signInUnavailable'));
  }
}

/**
 * One address: an IPv4 address as it is, an IPv6 one by its /64, the least a single subscriber is
 * given, so rotating through one's own block of addresses does not buy more guesses.
 */
export function ipBucket(ip: string): string {
  const address = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => (parseInt(group, 16) || 0).toString(16))
    .join(':')}::/64`;
}

function keysFor(ip: string, email: string): { ip: string; account: string } {
  // The e-mail is hashed so the Redis keyspace does not become a list of who tried to sign in.
  return {
    ip: `auth:login-failures:ip:${ipBucket(ip)}`,
    account: `auth:login-failures:account:${hashSecret(email.trim().toLowerCase())}`,
  };
}

/** A sign-in under way, counted as a failure until it is known to have succeeded. */
export interface LoginAttempt {
  /** The password was right: the account's counter is cleared and the address gets its try back. */
  succeeded(): Promise<void>;
}

/**
 * Sign-in attempts counted per address (an IPv6 /64) and per account in Redis over a fixed
 * 15-minute window: past 10 failures either one answers 429 with Retry-After until the window
 * ends, the right password included. Each attempt takes its count before the password is checked,
 * in one atomic step, so a burst of parallel guesses gets no more tries than a slow series; a
 * success gives the count back and clears the account's counter (not the address's: one address
 * guessing many accounts stays slowed down, while an office signing in from one address is not).
 */
export const loginRateLimit = {
  async begin(connections: RedisConnections, ip: string, email: string): Promise<LoginAttempt> {
    const redis = await redisOf(connections);
    const keys = keysFor(ip, email);
    const counted = await redis
      .multi()
      .set(keys.ip, 0, 'EX', LOGIN_WINDOW_SECONDS, 'NX')
      .incr(keys.ip)
      .set(keys.account, 0, 'EX', LOGIN_WINDOW_SECONDS, 'NX')
      .incr(keys.account)
      .exec();
    const countOf = (index: number) => Number(counted?.[index]?.[1] ?? 0);
    const over = [
      { key: keys.ip, blocked: countOf(1) > MAX_LOGIN_FAILURES },
      { key: keys.account, blocked: countOf(3) > MAX_LOGIN_FAILURES },
    ];
    if (over.some(({ blocked }) => blocked)) {
      // Refused before any password was checked: the counter that did not trip gets its try back.
      for (const { key, blocked } of over) if (!blocked) await redis.eval(GIVE_BACK, 1, key);
      const ttls = await Promise.all(over.filter(({ blocked }) => blocked).map(({ key }) => redis.ttl(key)));
      const seconds = Math.max(1, ...ttls);
      const minutes = Math.ceil(seconds / 60);
      throw tooManyRequests(errorTexts.sayWith('signInAttempts', { minutes }), seconds);
    }
    return {
      async succeeded() {
        await redis.eval(GIVE_BACK, 1, keys.ip);
        await redis.del(keys.account);
      },
    };
  },
};
