import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { assertFileKey } from './file-key.js';
import { FileNotFoundError } from './file-not-found-error.js';
import type { FileStore } from './file-store.js';

export interface S3FileStoreOptions {
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** e.g. http://127.0.0.1:9000 for MinIO, https://storage.yandexcloud.net; AWS's own when absent. */
  endpoint?: string;
  /** `endpoint/bucket/key` instead of `bucket.endpoint/key`, for servers without a host name per bucket. */
  forcePathStyle?: boolean;
}

/** The bucket refused or could not be reached; `code` is S3's error code (or the network error's). */
export class S3FileStoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'S3FileStoreError';
  }
}

// What an operator should look at when the bucket answers with these codes. The settings are named
// because this message lands in the log of someone who has just configured them.
const HINTS: Record<string, string> = {
  InvalidAccessKeyId: 'check S3_ACCESS_KEY_ID',
  SignatureDoesNotMatch: 'check S3_SECRET_ACCESS_KEY',
  AccessDenied: 'check that the key may read, write and delete objects in the bucket',
  NoSuchBucket: 'check S3_BUCKET: the bucket must exist',
  AuthorizationHeaderMalformed: 'check S3_REGION',
  PermanentRedirect: 'check S3_REGION, or S3_FORCE_PATH_STYLE for a server without a host name per bucket',
};

function codeOf(error: unknown): string {
  if (error instanceof S3ServiceException) return error.name;
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.name : 'Error';
}

/** Files in an S3-compatible bucket: AWS S3, MinIO, Yandex Object Storage, Selectel and the like. */
export class S3FileStore implements FileStore {
  private readonly client: S3Client;

  constructor(private readonly options: S3FileStoreOptions) {
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? false,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      // Since 3.729 the SDK adds CRC32 checksums (aws-chunked bodies with trailers) to every upload,
      // which several S3-compatible servers refuse (https://github.com/aws/aws-sdk-js-v3/issues/6810).
      // The payload stays protected: SigV4 signs its SHA-256 (x-amz-content-sha256) and the server
      // checks it.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // An endpoint that drops packets should fail the request, not hold it for the OS's minutes.
      requestHandler: { connectionTimeout: 10_000 },
    });
  }

  async put(key: string, body: Readable): Promise<void> {
    const Key = assertFileKey(key);
    try {
      // One PutObject for a small body; a multipart upload past the 5 MiB part size (at most four
      // parts in memory at once). A failed multipart upload is aborted, so no part of it is visible.
      await new Upload({
        client: this.client,
        params: { Bucket: this.options.bucket, Key, Body: body, ContentType: 'application/octet-stream' },
      }).done();
    } catch (error) {
      body.destroy();
      throw this.failure('store', Key, error);
    }
  }

  async get(key: string): Promise<Readable> {
    const Key = assertFileKey(key);
    let body: unknown;
    try {
      ({ Body: body } = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key })));
    } catch (error) {
      if (error instanceof S3ServiceException && error.name === 'NoSuchKey') {
        throw new FileNotFoundError(Key, { cause: error });
      }
      throw this.failure('read', Key, error);
    }
    // On Node the SDK answers with the response stream itself (an IncomingMessage).
    if (!(body instanceof Readable)) throw new Error(`S3 answered ${Key} without a readable body`);
    return body;
  }

  async remove(key: string): Promise<void> {
    const Key = assertFileKey(key);
    try {
      // S3 answers 204 whether or not the key existed, like rm --force.
      await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key }));
    } catch (error) {
      throw this.failure('delete', Key, error);
    }
  }

  private failure(action: string, key: string, error: unknown): S3FileStoreError {
    const code = codeOf(error);
    const reason = error instanceof Error ? error.message : String(error);
    const hint = HINTS[code] ? ` (${HINTS[code]})` : '';
    return new S3FileStoreError(
      code,
      `Could not ${action} ${key} in S3 bucket ${this.options.bucket}: ${code}: ${reason}${hint}`,
      { cause: error },
    );
  }
}
