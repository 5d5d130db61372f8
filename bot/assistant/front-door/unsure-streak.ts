import type { ApiServices } from '../../../server/api/api-services.js';

/** A streak older than this is forgotten: "twice in a row" means within one conversation sitting. */
const STREAK_TTL_SECONDS = 24 * 3600;

const keyOf = (conversationId: string) => `bot:unsure:${conversationId}`;

/**
 * How many times in a row the bot could not answer a client's question in a conversation, in
 * Redis (every worker process sees it). A retried message counts once: the streak remembers the
 * last message it counted.
 */
export async function countUnsure(
  services: Pick<ApiServices, 'redis'>,
  conversationId: string,
  messageKey: string,
): Promise<number> {
  const redis = await services.redis.commands();
  const key = keyOf(conversationId);
  const last = await redis.hget(key, 'last');
  if (last === messageKey) return Number(await redis.hget(key, 'count'));
  const count = await redis.hincrby(key, 'count', 1);
  await redis.hset(key, 'last', messageKey);
  await redis.expire(key, STREAK_TTL_SECONDS);
  return count;
}

/** An answered question ends the streak. */
export async function resetUnsure(services: Pick<ApiServices, 'redis'>, conversationId: string): Promise<void> {
  await (await services.redis.commands()).del(keyOf(conversationId));
}
