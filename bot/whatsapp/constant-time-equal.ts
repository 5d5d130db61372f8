import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets without leaking, through timing, how much of them matches or how long the
 * expected one is: both are hashed to 32 bytes first, since timingSafeEqual needs equal lengths.
 */
export function constantTimeEqual(actual: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(actual), digest(expected));
}
