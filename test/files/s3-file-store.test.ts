import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileNotFoundError } from '../../server/files/file-not-found-error.js';
import { LocalFileStore, type FileStore } from '../../server/files/file-store.js';
import { S3FileStore, S3FileStoreError, type S3FileStoreOptions } from '../../server/files/s3-file-store.js';
import { startS3Api, type S3Api } from '../stand-ins/s3-api.js';

/** A key as keepFile makes them. */
function newKey(): string {
  const id = new Types.ObjectId().toHexString();
  return `${id.slice(-2)}/${id}`;
}

/** Every byte value, then random bytes: text decoding or line-ending changes would show. */
function binary(size: number): Buffer {
  const bytes = randomBytes(size);
  for (let value = 0; value < 256 && value < size; value += 1) bytes[value] = value;
  return bytes;
}

async function read(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Gives `bytes`, then fails: a download or upload cut off half way. */
function failingAfter(bytes: Buffer): Readable {
  return new Readable({
    read() {
      this.push(bytes);
      this.destroy(new Error('connection reset by the sender'));
    },
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('The call succeeded');
}

interface Subject {
  store: FileStore;
  /** Keys whose bytes the backing storage holds, whatever the store says. */
  stored(): string[];
  close(): Promise<void>;
}

const SUBJECTS: Record<string, () => Promise<Subject>> = {
  LocalFileStore: async () => {
    const root = mkdtempSync(join(tmpdir(), 'files-'));
    return {
      store: new LocalFileStore(root),
      stored: () =>
        readdirSync(root, { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => `${entry.parentPath.slice(root.length + 1)}/${entry.name}`),
      close: async () => rmSync(root, { recursive: true, force: true }),
    };
  },
  S3FileStore: async () => {
    const s3 = await startS3Api();
    return {
      store: new S3FileStore({
        bucket: s3.bucket,
        endpoint: s3.endpoint,
        region: s3.region,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        forcePathStyle: true,
      }),
      stored: () => s3.keys(),
      close: () => s3.close(),
    };
  },
};

// One suite for every store: whichever is configured, callers see the same behaviour.
describe.each(Object.keys(SUBJECTS))('%s (file store conformance)', (name) => {
  let subject: Subject;
  beforeAll(async () => {
    subject = await SUBJECTS[name]!();
  });
  afterAll(async () => {
    await subject?.close();
  });

  it('should give back byte for byte what it was given', async () => {
    const key = newKey();
    const bytes = binary(300_000);
    await subject.store.put(key, Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]));
    expect((await read(await subject.store.get(key))).equals(bytes)).toBe(true);
    expect(subject.stored()).toContain(key);
  });

  it('should reject get of a missing key with ENOENT, which the HTTP layer and the sender expect', async () => {
    const error = await rejection(subject.store.get(newKey()));
    expect(error).toMatchObject({ code: 'ENOENT' });
  });

  it('should forget a removed file, and remove a missing one without complaint', async () => {
    const key = newKey();
    await subject.store.put(key, Readable.from([binary(1000)]));
    await subject.store.remove(key);
    expect(await rejection(subject.store.get(key))).toMatchObject({ code: 'ENOENT' });
    await expect(subject.store.remove(key)).resolves.toBeUndefined();
    expect(subject.stored()).not.toContain(key);
  });

  it('should refuse keys keepFile does not make, before touching the storage', async () => {
    const before = subject.stored().length;
    const key = newKey();
    for (const bad of ['../../etc/passwd', `${key}/../x`, `/${key}`, key.toUpperCase(), `${key}.partial`, '']) {
      await expect(subject.store.put(bad, Readable.from([Buffer.from('x')]))).rejects.toThrow(/Not a file key/);
      await expect(subject.store.get(bad)).rejects.toThrow(/Not a file key/);
      await expect(subject.store.remove(bad)).rejects.toThrow(/Not a file key/);
    }
    expect(subject.stored()).toHaveLength(before);
  });

  it('should keep nothing of a body that fails half way, past the multipart size', async () => {
    const key = newKey();
    const error = await rejection(subject.store.put(key, failingAfter(binary(6 * 1024 * 1024))));
    expect(String(error)).toMatch(/connection reset by the sender/);
    expect(await rejection(subject.store.get(key))).toMatchObject({ code: 'ENOENT' });
    expect(subject.stored()).not.toContain(key);
  });
});

describe('S3FileStore', () => {
  let s3: S3Api;
  const storeWith = (options: Partial<S3FileStoreOptions> = {}) =>
    new S3FileStore({
      bucket: s3.bucket,
      endpoint: s3.endpoint,
      region: s3.region,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      forcePathStyle: true,
      ...options,
    });
  const operationsOn = (key: string) =>
    s3
      .requests()
      .filter((entry) => entry.key === key)
      .map((entry) => entry.operation);

  beforeAll(async () => {
    s3 = await startS3Api();
  });
  afterAll(async () => {
    await s3?.close();
  });

  it('should send a small file as one signed PutObject without SDK-only checksums', async () => {
    const key = newKey();
    const bytes = binary(40_000);
    await storeWith().put(key, Readable.from([bytes]));
    expect(operationsOn(key)).toEqual(['PutObject']);
    // A SHA-256 of the body, which every S3-compatible server checks, rather than aws-chunked.
    expect(s3.requests().find((entry) => entry.key === key)?.payload).toMatch(/^[0-9a-f]{64}$/);
    expect(s3.object(key)?.equals(bytes)).toBe(true);
  });

  it('should upload a file past the 5 MiB part size in parts and read it back byte for byte', async () => {
    const key = newKey();
    const bytes = binary(12 * 1024 * 1024 + 123);
    await storeWith().put(key, Readable.from([bytes]));
    expect(operationsOn(key).sort()).toEqual([
      'CompleteMultipartUpload',
      'CreateMultipartUpload',
      'UploadPart',
      'UploadPart',
      'UploadPart',
    ]);
    expect(s3.openUploads()).toBe(0);
    expect((await read(await storeWith().get(key))).equals(bytes)).toBe(true);
  });

  it('should put the bucket in the path with forcePathStyle, for a server known by a host name', async () => {
    // Without it the SDK would ask for <bucket>.localhost, as for AWS's virtual-hosted buckets.
    const store = storeWith({ endpoint: s3.endpoint.replace('127.0.0.1', 'localhost'), forcePathStyle: true });
    const key = newKey();
    const bytes = binary(5000);
    await store.put(key, Readable.from([bytes]));
    expect((await read(await store.get(key))).equals(bytes)).toBe(true);
  });

  it('should abort a multipart upload whose body fails, leaving no parts behind', async () => {
    const key = newKey();
    await rejection(storeWith().put(key, failingAfter(binary(11 * 1024 * 1024))));
    expect(operationsOn(key)).toEqual(expect.arrayContaining(['CreateMultipartUpload', 'AbortMultipartUpload']));
    expect(operationsOn(key)).not.toContain('CompleteMultipartUpload');
    expect(s3.object(key)).toBeUndefined();
    expect(s3.openUploads()).toBe(0);
  });

  it.each([
    ['a small file', 1000],
    ['a multipart file', 6 * 1024 * 1024],
  ])('should fail on a wrong secret with a clear error and store nothing: %s', async (_, size) => {
    const key = newKey();
    const error = await rejection(
      storeWith({ secretAccessKey: randomBytes(30).toString('base64') }).put(key, Readable.from([binary(size)])),
    );
    expect(error).toBeInstanceOf(S3FileStoreError);
    expect(error).toMatchObject({ code: 'SignatureDoesNotMatch' });
    expect(String(error)).toContain(`Could not store ${key} in S3 bucket ${s3.bucket}: SignatureDoesNotMatch`);
    expect(String(error)).toContain('check S3_SECRET_ACCESS_KEY');
    expect(s3.object(key)).toBeUndefined();
    expect(s3.openUploads()).toBe(0);
  });

  it('should tell a missing file (FileNotFoundError) from a bucket that refuses (S3FileStoreError)', async () => {
    const key = newKey();
    const missing = await rejection(storeWith().get(key));
    expect(missing).toBeInstanceOf(FileNotFoundError);
    expect(missing).toMatchObject({ code: 'ENOENT', key });

    const wrongKeyId = await rejection(storeWith({ accessKeyId: 'AKIAWRONG' }).get(key));
    expect(wrongKeyId).toBeInstanceOf(S3FileStoreError);
    expect(String(wrongKeyId)).toContain('InvalidAccessKeyId');
    expect(String(wrongKeyId)).toContain('check S3_ACCESS_KEY_ID');

    const noBucket = await rejection(storeWith({ bucket: `${s3.bucket}-gone` }).remove(key));
    expect(noBucket).toMatchObject({ code: 'NoSuchBucket' });
  });

  it('should fail quickly with the network error when nothing listens at the endpoint', async () => {
    const closed = await startS3Api();
    const endpoint = closed.endpoint;
    await closed.close();
    const error = await rejection(storeWith({ endpoint }).put(newKey(), Readable.from([binary(100)])));
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
  });
});
