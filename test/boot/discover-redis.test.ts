import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverRedis, pingRedis, RedisUnavailableError } from '../../server/redis/discover-redis.js';
import { freePort } from '../../server/free-port.js';

describe('discoverRedis', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'redis-discovery-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('should refuse a REDIS_URL that does not answer, naming it without its password', async () => {
    const port = await freePort();
    const attempt = discoverRedis({ configuredUrl: `redis://:s3cret@127.0.0.1:${port}`, dataDir });
    await expect(attempt).rejects.toBeInstanceOf(RedisUnavailableError);
    await expect(attempt).rejects.toThrow(`redis://:***@127.0.0.1:${port}`);
    await expect(attempt).rejects.not.toThrow('s3cret');
  });

  it('should start redis-server from PATH when nothing answers, with AOF under the data folder', async () => {
    const endpoint = await discoverRedis({ localUrl: `redis://127.0.0.1:${await freePort()}`, dataDir });
    try {
      expect(endpoint.source).toBe('managed');
      await pingRedis(endpoint.url, 1000);
      expect(existsSync(join(dataDir, 'redis'))).toBe(true);
    } finally {
      await endpoint.stop();
    }
    await expect(pingRedis(endpoint.url, 500)).rejects.toThrow();
  });

  it('should use a Redis that answers on the local address', async () => {
    const managed = await discoverRedis({ localUrl: `redis://127.0.0.1:${await freePort()}`, dataDir });
    try {
      const found = await discoverRedis({ localUrl: managed.url, dataDir });
      expect(found).toMatchObject({ source: 'local', url: managed.url });
    } finally {
      await managed.stop();
    }
  });

  it('should say how to install Redis when none answers and redis-server is missing', async () => {
    const attempt = discoverRedis({
      localUrl: `redis://127.0.0.1:${await freePort()}`,
      dataDir,
      redisServerCommand: 'redis-server-that-is-not-installed',
    });
    await expect(attempt).rejects.toThrow('sudo apt-get install -y redis-server');
    await expect(attempt).rejects.toThrow('brew install redis');
    await expect(attempt).rejects.toThrow('docker run');
  });
});
