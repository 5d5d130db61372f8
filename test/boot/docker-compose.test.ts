import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '..', '..');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  deploy?: { replicas?: number };
  healthcheck?: { test?: string[]; disable?: boolean };
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };

  it('should run two web replicas and a worker of the same image against MongoDB and Redis', () => {
    const { app, worker } = compose.services;
    expect(app?.deploy?.replicas).toBe(2);
    expect(app?.environment).toMatchObject({ ROLE: 'web', REDIS_URL: 'redis://redis:6379' });
    expect(app?.environment?.MONGODB_URI).toMatch(/^mongodb:\/\/mongo:27017\/\w+\?replicaSet=rs0$/);
    expect(worker?.image).toBe(app?.image);
    expect(worker?.environment).toMatchObject({ ROLE: 'worker' });
  });

  it('should give every process the same channel secrets key and files volume', () => {
    const { app, worker } = compose.services;
    for (const service of [app, worker]) {
      expect(service?.environment?.CHANNEL_SECRETS_KEY).toMatch(/^\$\{CHANNEL_SECRETS_KEY:\?/);
      expect((service as { volumes?: string[] } | undefined)?.volumes).toContain('app-data:/data');
    }
  });

  it('should start a deployment without the demo accounts', () => {
    const { app, worker } = compose.services;
    expect(app?.environment?.DEMO_DATA).toBe('${DEMO_DATA:-false}');
    expect(worker?.environment?.DEMO_DATA).toBe('${DEMO_DATA:-false}');
  });

  it('should initialise MongoDB as a replica set and keep Redis on an append-only file, both on volumes', () => {
    const { mongo, redis } = compose.services;
    expect(mongo?.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    expect(mongo?.healthcheck?.test?.join(' ')).toContain('rs.initiate');
    expect(redis?.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['mongo-data', 'redis-data', 'app-data']));
  });

  it('should start the app only when its dependencies are healthy, behind the proxy', () => {
    expect(compose.services.app?.depends_on).toMatchObject({
      mongo: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    const nginx = readFileSync(join(ROOT, 'deploy', 'nginx.conf'), 'utf8');
    expect(nginx).toContain('server app:3000');
    expect(nginx).toContain('ip_hash');
  });
});
