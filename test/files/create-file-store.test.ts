import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config/config.js';
import { createFileStore } from '../../server/files/create-file-store.js';
import { LocalFileStore } from '../../server/files/file-store.js';
import { S3FileStore } from '../../server/files/s3-file-store.js';

const ROOT = join(import.meta.dirname, '..', '..');

const S3 = {
  S3_BUCKET: 'inbox-files',
  S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  S3_SECRET_ACCESS_KEY: 'secret/key+example',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('The configuration was accepted');
}

describe('createFileStore and the S3 settings', () => {
  it('should keep files on local disk unless S3_BUCKET is set', async () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: false });
    expect(config.S3_BUCKET).toBeUndefined();
    expect(await createFileStore(config)).toBeInstanceOf(LocalFileStore);
  });

  it('should read the S3 settings and choose the bucket when S3_BUCKET is set', async () => {
    const config = loadConfig({
      ...S3,
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_REGION: 'ru-central1',
      S3_FORCE_PATH_STYLE: 'true',
    });
    expect(config).toMatchObject({
      S3_BUCKET: 'inbox-files',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_REGION: 'ru-central1',
      S3_FORCE_PATH_STYLE: true,
    });
    expect(await createFileStore(config)).toBeInstanceOf(S3FileStore);
    // Empty values (docker compose's ${VAR:-}) are unset ones.
    expect(loadConfig({ ...S3, S3_ENDPOINT: '', S3_REGION: '', S3_FORCE_PATH_STYLE: '' })).toMatchObject({
      S3_REGION: 'us-east-1',
      S3_FORCE_PATH_STYLE: false,
    });
  });

  it('should refuse a bucket without its keys, naming each missing one', () => {
    expect(problemsOf({ S3_BUCKET: 'inbox-files' })).toEqual([
      'S3_ACCESS_KEY_ID: must be set when S3_BUCKET is set',
      'S3_SECRET_ACCESS_KEY: must be set when S3_BUCKET is set',
    ]);
  });

  it('should refuse bucket settings without a bucket, and FILES_DIR with one', () => {
    expect(problemsOf({ S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY_ID: 'AKIAEXAMPLE' })).toEqual([
      'S3_BUCKET: must be set when S3_ENDPOINT, S3_ACCESS_KEY_ID are set',
    ]);
    expect(problemsOf({ S3_FORCE_PATH_STYLE: 'true' })).toEqual([
      'S3_BUCKET: must be set when S3_FORCE_PATH_STYLE is set',
    ]);
    expect(problemsOf({ ...S3, FILES_DIR: './files' })).toEqual([
      "FILES_DIR = './files': must be unset when S3_BUCKET is set: files are kept in the bucket",
    ]);
  });

  it('should refuse a malformed endpoint, bucket, region or path-style flag with the value given', () => {
    const problems = problemsOf({
      ...S3,
      S3_ENDPOINT: 'minio:9000',
      S3_BUCKET: 's3://inbox-files',
      S3_REGION: 'Moscow 1',
      S3_FORCE_PATH_STYLE: 'yes',
    });
    expect(problems).toEqual([
      "S3_BUCKET = 's3://inbox-files': must be the name of the bucket alone, not a URL (letters, digits, dots, hyphens, underscores)",
      "S3_ENDPOINT = 'minio:9000': must be a URL starting with http:// or https://",
      "S3_REGION = 'Moscow 1': must be a region name such as us-east-1 or ru-central1",
      "S3_FORCE_PATH_STYLE = 'yes': must be true or false",
    ]);
  });

  it('should stop the server at boot with a plain message naming the S3 settings', () => {
    const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['server/boot/main.ts'], {
      cwd: ROOT,
      env: {
        ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('S3_'))),
        S3_BUCKET: 'inbox-files',
        S3_ENDPOINT: 'localhost:9000',
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Configuration is invalid');
    expect(result.stderr).toContain("S3_ENDPOINT = 'localhost:9000': must be a URL starting with http:// or https://");
    expect(result.stderr).toContain('S3_ACCESS_KEY_ID: must be set when S3_BUCKET is set');
    expect(result.stderr).toContain('S3_SECRET_ACCESS_KEY: must be set when S3_BUCKET is set');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
