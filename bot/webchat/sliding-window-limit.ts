export interface SlidingWindowLimit {
  /** Counts one event; undefined when it is allowed, else the milliseconds until the next one would be. */
  take(now?: number): number | undefined;
}

/** At most `limit` events in any `windowMs`. Kept in memory per socket, so it dies with the connection. */
export function createSlidingWindowLimit(limit: number, windowMs: number): SlidingWindowLimit {
  const times: number[] = [];
  return {
    take(now = Date.now()) {
      while (times.length > 0 && (times[0] ?? 0) <= now - windowMs) times.shift();
      if (times.length >= limit) return (times[0] ?? now) + windowMs - now;
      times.push(now);
      return undefined;
    },
  };
}
