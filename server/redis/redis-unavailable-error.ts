/** Redis did not become ready in time: callers decide whether to refuse or carry on without it. */
export class RedisUnavailableError extends Error {
  constructor(ms: number) {
    super(`Redis did not become ready within ${ms} ms`);
    this.name = 'RedisUnavailableError';
  }
}
