import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Api, type S3Api } from '../stand-ins/s3-api.js';
import {
  ACCESS_KEY_ID,
  AMZ_DATE,
  CHUNKED_EXAMPLE_HEADERS,
  chunkedExampleBody,
  SCOPE,
  SECRET,
  SEED_SIGNATURE,
} from './aws-sigv4-examples.js';

/**
 * The S3 stand-in itself: AWS's signed chunked example over HTTP, and the official SDK with its
 * default settings (CRC32 checksums, aws-chunked bodies with trailers), which the file store
 * turns off, so the stand-in is known to speak what S3 speaks beyond what the store uses.
 */

async function rejection(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof S3ServiceException) return error;
    throw error;
  }
  throw new Error('The request succeeded');
}

function put(url: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'PUT', headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('S3 API stand-in', () => {
  let s3: S3Api;
  const clientFor = (overrides: Partial<S3ClientConfig> = {}) =>
    new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      ...overrides,
    });

  beforeAll(async () => {
    s3 = await startS3Api();
  });
  afterAll(async () => {
    await s3?.close();
  });

  it('should store AWS’s signed chunked upload example and refuse it with a changed byte', async () => {
    const aws = await startS3Api({
      bucket: 'examplebucket',
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRET,
      now: () => new Date('2013-05-24T00:00:00Z'),
    });
    try {
      const headers = {
        ...CHUNKED_EXAMPLE_HEADERS,
        host: 's3.amazonaws.com',
        'x-amz-date': AMZ_DATE,
        authorization: `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/${SCOPE},SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=${SEED_SIGNATURE}`,
      };
      const url = `${aws.endpoint}/examplebucket/chunkObject.txt`;

      const corrupt = await put(url, headers, chunkedExampleBody(70));
      expect(corrupt.status).toBe(403);
      expect(corrupt.text).toContain('<Code>SignatureDoesNotMatch</Code>');
      expect(aws.keys()).toEqual([]);

      const stored = await put(url, headers, chunkedExampleBody());
      expect(stored.status, stored.text).toBe(200);
      expect(aws.object('chunkObject.txt')?.equals(Buffer.alloc(66560, 'a'))).toBe(true);
    } finally {
      await aws.close();
    }
  });

  it('should take a stream the SDK sends aws-chunked with a CRC32 trailer, and give it back checked', async () => {
    const client = clientFor();
    const key = `streams/${randomBytes(6).toString('hex')}`;
    const bytes = randomBytes(200_000);
    await client.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: key,
        Body: Readable.from([bytes.subarray(0, 70_000), bytes.subarray(70_000)]),
        ContentLength: bytes.length,
      }),
    );
    expect(s3.object(key)?.equals(bytes)).toBe(true);
    expect(s3.requests().find((entry) => entry.key === key)).toMatchObject({
      operation: 'PutObject',
      status: 200,
      payload: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    });

    const got = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    expect(got.ChecksumCRC32).toBeDefined();
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(bytes)).toBe(true);
    const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
    expect(head.ContentLength).toBe(bytes.length);
  });

  it('should complete a multipart upload with checksummed parts', async () => {
    const key = `parts/${randomBytes(6).toString('hex')}`;
    const bytes = randomBytes(11 * 1024 * 1024);
    await new Upload({
      client: clientFor(),
      params: { Bucket: s3.bucket, Key: key, Body: Readable.from([bytes]) },
    }).done();
    expect(s3.object(key)?.equals(bytes)).toBe(true);
    expect(s3.openUploads()).toBe(0);
    const operations = s3.requests().filter((entry) => entry.key === key);
    expect(operations.map((entry) => entry.operation).sort()).toEqual([
      'CompleteMultipartUpload',
      'CreateMultipartUpload',
      'UploadPart',
      'UploadPart',
      'UploadPart',
    ]);
  });

  it('should refuse a wrong secret, an unknown key id and a body changed after signing', async () => {
    const key = `refused/${randomBytes(6).toString('hex')}`;
    const wrongSecret = clientFor({
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: randomBytes(30).toString('base64') },
    });
    expect(
      await rejection(wrongSecret.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: 'x' }))),
    ).toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });

    const unknownKey = clientFor({ credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: s3.secretAccessKey } });
    expect(
      await rejection(unknownKey.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: 'x' }))),
    ).toMatchObject({ name: 'InvalidAccessKeyId', $metadata: { httpStatusCode: 403 } });

    // A proxy that changes the body (not its length) after the SDK has signed its SHA-256.
    const tampering = clientFor({ requestChecksumCalculation: 'WHEN_REQUIRED' });
    tampering.middlewareStack.add(
      (next) => (args) => {
        if (typeof args.request === 'object' && args.request !== null && 'body' in args.request) {
          args.request.body = Buffer.from('ORIGINAL');
        }
        return next(args);
      },
      { step: 'deserialize', name: 'swapBody' },
    );
    expect(
      await rejection(tampering.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: 'original' }))),
    ).toMatchObject({ name: 'XAmzContentSHA256Mismatch', $metadata: { httpStatusCode: 400 } });
    expect(s3.object(key)).toBeUndefined();
  });

  it('should answer a missing key with NoSuchKey, and HEAD with a bare 404', async () => {
    const client = clientFor();
    const key = `missing/${randomBytes(6).toString('hex')}`;
    expect(await rejection(client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key })))).toMatchObject({
      name: 'NoSuchKey',
      $metadata: { httpStatusCode: 404 },
    });
    expect(await rejection(client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key })))).toMatchObject({
      name: 'NotFound',
      $metadata: { httpStatusCode: 404 },
    });
    expect(
      await rejection(client.send(new GetObjectCommand({ Bucket: `${s3.bucket}-other`, Key: key }))),
    ).toMatchObject({ name: 'NoSuchBucket' });
  });
});
