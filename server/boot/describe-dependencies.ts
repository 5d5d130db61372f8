/** Names the store and Redis in use without credentials: what /readyz and the start message show. */
export function describeMongoUri(uri: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/)(?:[^@/]*@)?([^/?]+)(\/[^?]*)?/.exec(uri);
  return match ? `${match[1]}${match[2]}${match[3] ?? ''}` : 'mongodb://(unparseable)';
}

export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'redis://(unparseable)';
  }
}
