import { hkdfSync } from 'node:crypto';

/**
 * The prefix of everything one installation keeps in Redis: queues, Socket.IO pub/sub channels,
 * counters. Two installations on one Redis (staging beside production, parallel test apps) would
 * otherwise take each other's jobs and hear each other's rooms (`inbox:all` is the same name in
 * both; pub/sub ignores database numbers). The processes of one installation share
 * CHANNEL_SECRETS_KEY (or its generated file), so a name derived from it matches across them and
 * nowhere else, with nothing to configure.
 */
export function redisNamespace(secretsKey: Buffer): string {
  return `fi-${Buffer.from(hkdfSync('sha256', secretsKey, Buffer.alloc(0), 'redis-namespace', 8)).toString('hex')}`;
}
