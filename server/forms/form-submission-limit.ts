import { tooManyRequests } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { errorTexts } from '../api/error-texts.js';
import { RedisUnavailableError } from '../redis/redis-unavailable-error.js';

/** Submissions one IP address may send to all forms together in a window: people send one or two. */
export const FORM_SUBMISSIONS_PER_IP = 20;
export const FORM_SUBMISSION_WINDOW_SECONDS = 10 * 60;

/**
 * Counts a submission from `ip` in Redis over a fixed window; past the limit it answers 429 with
 * Retry-After until the window ends. Every attempt counts, refused ones too: a flood is a flood.
 * With Redis away the submission passes (and is logged): a lost lead costs more than a spam one.
 */
export async function takeSubmissionSlot(services: Pick<ApiServices, 'redis' | 'logger'>, ip: string): Promise<void> {
  let redis;
  try {
    redis = await services.redis.commands();
  } catch (error) {
    if (!(error instanceof RedisUnavailableError)) throw error;
    services.logger.warn({ ip }, 'form submission not rate limited: Redis is unavailable');
    return;
  }
  const key = `form-submissions:ip:${ip}`;
  const replies = await redis.multi().set(key, 0, 'EX', FORM_SUBMISSION_WINDOW_SECONDS, 'NX').incr(key).ttl(key).exec();
  const count = Number(replies?.[1]?.[1] ?? 0);
  if (count <= FORM_SUBMISSIONS_PER_IP) return;
  const seconds = Math.max(1, Number(replies?.[2]?.[1] ?? FORM_SUBMISSION_WINDOW_SECONDS));
  const minutes = Math.ceil(seconds / 60);
  throw tooManyRequests(errorTexts.sayWith('formSubmissions', { minutes }), seconds);
}
