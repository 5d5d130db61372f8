import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config/config.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('configuration', () => {
  it('should apply the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, ROLE: 'all', runsWeb: true, runsWorkers: true, LOG_LEVEL: 'info' });
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.MONGODB_URI).toBeUndefined();
  });

  it('should name every bad variable and why in one error', () => {
    const error = (() => {
      try {
        loadConfig({
          PORT: '70000',
          ROLE: 'boss',
          MONGODB_URI: 'http://db',
          REDIS_URL: 'localhost:6379',
          METRICS_TOKEN: 'x',
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain("PORT = '70000': must be a whole number from 1 to 65535");
    expect(problems).toContain("ROLE = 'boss'");
    expect(problems).toContain('MONGODB_URI');
    expect(problems).toContain('REDIS_URL');
    expect(problems).toContain('METRICS_TOKEN');
    expect((error as ConfigError).problems).toHaveLength(5);
  });

  it('should read the read-burst settings, off by default, and refuse other spellings', () => {
    expect(loadConfig({})).toMatchObject({ READ_BURST_LIMIT: 500, READ_BURST_LOCK: false });
    expect(loadConfig({ READ_BURST_LIMIT: '20', READ_BURST_LOCK: 'true' })).toMatchObject({
      READ_BURST_LIMIT: 20,
      READ_BURST_LOCK: true,
    });
    expect(() => loadConfig({ READ_BURST_LIMIT: '0', READ_BURST_LOCK: 'yes' })).toThrow(
      /READ_BURST_LIMIT = '0': must be at least 1[\s\S]*READ_BURST_LOCK = 'yes': must be true or false/,
    );
  });

  it('should seed the demo unless DEMO_DATA is false, and refuse other spellings', () => {
    expect(loadConfig({}).DEMO_DATA).toBe(true);
    expect(loadConfig({ DEMO_DATA: 'false' }).DEMO_DATA).toBe(false);
    expect(() => loadConfig({ DEMO_DATA: 'no' })).toThrow(/DEMO_DATA = 'no': must be true or false/);
  });

  it('should treat an empty value as unset', () => {
    expect(loadConfig({ MONGODB_URI: '', REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });

  it('should stop the start with a plain message and no stack trace', () => {
    const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['server/boot/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'abc', LOG_LEVEL: 'chatty' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Configuration is invalid');
    expect(result.stderr).toContain("PORT = 'abc'");
    expect(result.stderr).toContain("LOG_LEVEL = 'chatty'");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
