import type { Redis } from 'ioredis';

const WINDOW_MS = 1000;

// Redis's clock, not each process's: every worker of an account counts on the same timeline.
const NOW = `local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

/**
 * KEYS: the chat's slot (holding when it frees), the account's sends of the last window. ARGV:
 * chat interval (0: none), sends per window, window, this send's member. Returns {0} when taken,
 * {1, freeAt} when the chat is busy, {2, freeAt} when the account's window is full.
 */
const TAKE = `${NOW}
local chatFree = tonumber(redis.call('GET', KEYS[1]) or '0')
if chatFree > now then return {1, chatFree} end
local window = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {2, math.max(tonumber(oldest[2]) + window, now + 1)}
end
local interval = tonumber(ARGV[1])
if interval > 0 then redis.call('SET', KEYS[1], now + interval, 'PX', interval) end
redis.call('ZADD', KEYS[2], now, ARGV[4])
redis.call('PEXPIRE', KEYS[2], window * 10)
return {0}`;

/** KEYS: the account's sends, the chat's slot. ARGV: the member, the window, the chat interval. */
const SETTLE = `${NOW}
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 10)
local interval = tonumber(ARGV[3])
if interval > 0 then redis.call('SET', KEYS[2], now + interval, 'PX', interval) end
return 0`;

export type SendSlot =
  | { taken: true; /** Counts the send from when the provider answered, for both limits. */ settle(): Promise<void> }
  | {
      taken: false;
      limit: 'chat' | 'account';
      /** When the slot frees, on Redis's clock: the same instant for every send waiting on it. */
      freeAt: number;
      waitMs: number;
    };

/**
 * One send's place under both of a channel's limits, taken atomically: the chat's interval
 * (Telegram: about one message a second per chat) and the account's sends per second, counted
 * over any rolling second. A fixed-window counter (BullMQ's limiter) lets up to twice the rate
 * through across a window's edge; providers count rolling. Both limits run from when the provider
 * answered (`settle`), not from when the send began: a slow first send must not let the next one
 * reach the provider less than an interval after it.
 */
export async function takeSendSlot(
  redis: Redis,
  input: { accountId: string; chatId: string; sendId: string; perSecond: number; chatIntervalMs?: number },
): Promise<SendSlot> {
  const chatKey = `outbound:chat:${input.accountId}:${input.chatId}`;
  const accountKey = `outbound:rate:${input.accountId}`;
  const answer: unknown = await redis.eval(
    TAKE,
    2,
    chatKey,
    accountKey,
    input.chatIntervalMs ?? 0,
    input.perSecond,
    WINDOW_MS,
    input.sendId,
  );
  if (!Array.isArray(answer)) throw new Error('The send slot script gave no answer');
  const code = Number(answer[0]);
  if (code !== 0) {
    const freeAt = Number(answer[1]);
    return { taken: false, limit: code === 1 ? 'chat' : 'account', freeAt, waitMs: Math.max(freeAt - Date.now(), 1) };
  }
  return {
    taken: true,
    async settle() {
      // Never fails the send it follows: unsettled, the send still counts from when it was taken.
      await redis
        .eval(SETTLE, 2, accountKey, chatKey, input.sendId, WINDOW_MS, input.chatIntervalMs ?? 0)
        .catch(() => undefined);
    },
  };
}
