import { vi } from 'vitest';

/**
 * Polls `probe` until it returns something other than undefined, and returns that; fails with
 * `what` in the message after `timeoutMs`. For outcomes that happen in the background (a queue
 * worker, a webhook's side effects) rather than sleeping a guessed time.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await probe();
      if (value === undefined) throw new Error(`Timed out waiting for ${what}`);
      return value;
    },
    { timeout: timeoutMs, interval: 50 },
  );
}
