import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { raiseReadBurst } from './raise-read-burst.js';

const WINDOW_MINUTES = 60;

/*
 * One hash per user with a bucket per minute: memory stays at about 60 numbers however many cards
 * are read, and the hour slides by the minute. Redis's own clock keeps several web processes on
 * one timeline. Returns the cards read in the last hour, this request's included.
 */
const COUNT_SCRIPT = `
local now = redis.call('TIME')
local minute = math.floor(tonumber(now[1]) / 60)
local window = tonumber(ARGV[2])
redis.call('HINCRBY', KEYS[1], minute, ARGV[1])
local total = 0
local buckets = redis.call('HGETALL', KEYS[1])
for i = 1, #buckets, 2 do
  if tonumber(buckets[i]) <= minute - window then
    redis.call('HDEL', KEYS[1], buckets[i])
  else
    total = total + tonumber(buckets[i + 1])
  end
end
redis.call('EXPIRE', KEYS[1], (window + 1) * 60)
return total
`;

/**
 * Counts contact cards a user was shown (one for a card, the rows of a list page) and raises a
 * read-burst alert when the last hour's count passes READ_BURST_LIMIT: an employee copying the
 * base before leaving reads far more cards than their work needs. Contact routes call it once
 * per response.
 */
export async function countContactReads(services: ApiServices, user: AuthUser, cards: number): Promise<void> {
  if (cards <= 0) return;
  let count: number;
  try {
    const redis = await services.redis.commands();
    count = Number(await redis.eval(COUNT_SCRIPT, 1, `security:contact-reads:${user.id}`, cards, WINDOW_MINUTES));
  } catch (error) {
    // A detector must not take the CRM away from everyone while Redis is briefly unreachable.
    services.logger.warn({ err: error, userId: user.id }, 'contact reads were not counted');
    return;
  }
  if (count > services.config.READ_BURST_LIMIT) {
    await raiseReadBurst(services, user, { count, windowSeconds: WINDOW_MINUTES * 60 });
  }
}
