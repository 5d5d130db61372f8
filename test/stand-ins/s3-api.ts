import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import { decodeAwsChunked, S3RequestError, verifyRequestSignature, type VerifiedRequest } from './s3-signature-v4.js';

/**
 * A local stand-in for the parts of the Amazon S3 REST API a file store uses, path-style
 * (`/<bucket>/<key>`), answering and failing the way S3 documents
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/): PutObject, GetObject, HeadObject,
 * DeleteObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload.
 * Every request must carry a valid AWS Signature Version 4 for its one bucket and key pair,
 * including signed or unsigned aws-chunked bodies and their checksum trailers.
 */

export interface S3Api {
  /** e.g. http://127.0.0.1:41234: what S3_ENDPOINT takes, with S3_FORCE_PATH_STYLE=true. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The bytes stored under `key`, if any. */
  object(key: string): Buffer | undefined;
  keys(): string[];
  /** Multipart uploads begun and neither completed nor aborted. */
  openUploads(): number;
  /** Every request answered, in order. */
  requests(): AnsweredRequest[];
  close(): Promise<void>;
}

export interface AnsweredRequest {
  operation: string;
  key: string;
  status: number;
  /** S3's error code, for a refusal. */
  code?: string;
  /** x-amz-content-sha256 as sent: a digest, UNSIGNED-PAYLOAD or a STREAMING-* marker. */
  payload?: string;
}

interface StoredObject {
  data: Buffer;
  etag: string;
  contentType: string;
  lastModified: Date;
  /** A full-object checksum sent with a single PutObject, given back on GetObject as S3 does. */
  checksumCrc32?: string;
}

interface MultipartUpload {
  key: string;
  contentType: string;
  parts: Map<number, { data: Buffer; etag: string }>;
}

type Operation =
  | 'PutObject'
  | 'UploadPart'
  | 'CreateMultipartUpload'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject';

/** S3's smallest part, except for the last one (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html). */
const MIN_PART_BYTES = 5 * 1024 * 1024;

const md5Hex = (data: Buffer) => createHash('md5').update(data).digest('hex');

const escapeXml = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[char] ?? char,
  );

const unescapeXml = (text: string) =>
  text.replace(
    /&(quot|amp|lt|gt|apos);/g,
    (_, name: string) => ({ quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" })[name] ?? '',
  );

function xml(root: string, fields: Record<string, string>): string {
  const body = Object.entries(fields)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body}</${root}>`;
}

function operationOf(method: string, query: URLSearchParams): Operation | undefined {
  const uploadId = query.has('uploadId');
  if (method === 'PUT') return uploadId ? 'UploadPart' : 'PutObject';
  if (method === 'POST')
    return query.has('uploads') ? 'CreateMultipartUpload' : uploadId ? 'CompleteMultipartUpload' : undefined;
  if (method === 'DELETE') return uploadId ? 'AbortMultipartUpload' : 'DeleteObject';
  if (method === 'GET') return 'GetObject';
  if (method === 'HEAD') return 'HeadObject';
  return undefined;
}

/** Checks the checksums S3 checks: Content-MD5 and x-amz-checksum-* sent as headers or trailers. */
function verifyChecksums(data: Buffer, given: Map<string, string>): string | undefined {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data));
  const computed: Record<string, string> = {
    'content-md5': createHash('md5').update(data).digest('base64'),
    'x-amz-checksum-crc32': crc.toString('base64'),
    'x-amz-checksum-sha1': createHash('sha1').update(data).digest('base64'),
    'x-amz-checksum-sha256': createHash('sha256').update(data).digest('base64'),
  };
  // CRC32C and CRC64NVME have no implementation in node: those are taken as sent.
  for (const [name, expected] of Object.entries(computed)) {
    const value = given.get(name);
    if (value !== undefined && value !== expected) {
      throw new S3RequestError(400, 'BadDigest', `The ${name} you specified did not match the calculated checksum.`);
    }
  }
  return given.get('x-amz-checksum-crc32');
}

export async function startS3Api(
  options: {
    bucket?: string;
    region?: string;
    accessKeyId?: string;
    secretAccessKey?: string;
    /** The stand-in's clock, against which request times are checked (15 minutes either way). */
    now?: () => Date;
    port?: number;
  } = {},
): Promise<S3Api> {
  const bucket = options.bucket ?? `inbox-files-${randomBytes(4).toString('hex')}`;
  const region = options.region ?? 'us-east-1';
  const accessKeyId = options.accessKeyId ?? `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = options.secretAccessKey ?? randomBytes(30).toString('base64');
  const now = options.now ?? (() => new Date());
  const objects = new Map<string, StoredObject>();
  const uploads = new Map<string, MultipartUpload>();
  const log: AnsweredRequest[] = [];

  function readBody(req: IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  /**
   * The object's bytes as the client meant them, once the body's signature and checksums are
   * checked too, and the CRC32 it was sent with (as a header or a trailer), if any.
   */
  function payloadOf(req: IncomingMessage, raw: Buffer, verified: VerifiedRequest): { data: Buffer; crc32?: string } {
    const headers = new Map<string, string>();
    for (const [name, values] of Object.entries(req.headersDistinct)) if (values?.[0]) headers.set(name, values[0]);
    let data: Buffer;
    switch (verified.payloadHash) {
      case 'UNSIGNED-PAYLOAD':
        data = raw;
        break;
      case 'STREAMING-UNSIGNED-PAYLOAD-TRAILER':
      case 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD':
      case 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER': {
        const decoded = decodeAwsChunked(raw, verified.payloadHash.includes('HMAC') ? verified : undefined);
        const declared = (headers.get('x-amz-trailer') ?? '').split(',').map((name) => name.trim().toLowerCase());
        for (const [name, value] of decoded.trailers) {
          if (!declared.includes(name)) {
            throw new S3RequestError(
              400,
              'MalformedTrailerError',
              `The trailer ${name} was not declared in x-amz-trailer`,
            );
          }
          headers.set(name, value);
        }
        const length = headers.get('x-amz-decoded-content-length');
        if (length !== undefined && Number(length) !== decoded.data.length) {
          throw new S3RequestError(
            400,
            'IncompleteBody',
            'You did not provide the number of bytes specified by x-amz-decoded-content-length',
          );
        }
        data = decoded.data;
        break;
      }
      default:
        if (!/^[0-9a-f]{64}$/.test(verified.payloadHash)) {
          throw new S3RequestError(
            400,
            'InvalidArgument',
            `x-amz-content-sha256 must be a SHA-256 or a known marker, not ${verified.payloadHash}`,
          );
        }
        if (createHash('sha256').update(raw).digest('hex') !== verified.payloadHash) {
          throw new S3RequestError(
            400,
            'XAmzContentSHA256Mismatch',
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
          );
        }
        data = raw;
    }
    return { data, crc32: verifyChecksums(data, headers) };
  }

  function sendError(res: ServerResponse, method: string, key: string, error: S3RequestError): void {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    res.writeHead(error.status, { 'content-type': 'application/xml', 'x-amz-request-id': requestId });
    // HEAD answers carry no body: the SDK reads the status alone.
    if (method === 'HEAD') return void res.end();
    const fields: Record<string, string> = { Code: error.code, Message: error.message, ...error.details };
    if (key) fields.Key = key;
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${Object.entries({ ...fields, RequestId: requestId })
        .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
        .join('')}</Error>`,
    );
  }

  function objectHeaders(stored: StoredObject): Record<string, string | number> {
    return {
      'content-type': stored.contentType,
      'content-length': stored.data.length,
      etag: stored.etag,
      'last-modified': stored.lastModified.toUTCString(),
      ...(stored.checksumCrc32 ? { 'x-amz-checksum-crc32': stored.checksumCrc32 } : {}),
    };
  }

  function uploadOf(query: URLSearchParams, key: string): [string, MultipartUpload] {
    const uploadId = query.get('uploadId') ?? '';
    const upload = uploads.get(uploadId);
    if (!upload || upload.key !== key) {
      throw new S3RequestError(
        404,
        'NoSuchUpload',
        'The specified multipart upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
        { UploadId: uploadId },
      );
    }
    return [uploadId, upload];
  }

  function completeUpload(key: string, query: URLSearchParams, body: Buffer): StoredObject {
    const [uploadId, upload] = uploadOf(query, key);
    const listed = [...body.toString('utf8').matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map(([, part = '']) => ({
      number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(part)?.[1]),
      etag: unescapeXml(/<ETag>([\s\S]*?)<\/ETag>/.exec(part)?.[1] ?? ''),
    }));
    if (listed.length === 0)
      throw new S3RequestError(
        400,
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema.',
      );
    const parts = listed.map((entry, index) => {
      if (index > 0 && entry.number <= listed[index - 1]!.number) {
        throw new S3RequestError(
          400,
          'InvalidPartOrder',
          'The list of parts was not in ascending order. Parts must be ordered by part number.',
        );
      }
      const part = upload.parts.get(entry.number);
      if (!part || part.etag !== entry.etag) {
        throw new S3RequestError(
          400,
          'InvalidPart',
          "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        );
      }
      if (index < listed.length - 1 && part.data.length < MIN_PART_BYTES) {
        throw new S3RequestError(
          400,
          'EntityTooSmall',
          'Your proposed upload is smaller than the minimum allowed object size.',
        );
      }
      return part;
    });
    uploads.delete(uploadId);
    const digests = Buffer.concat(parts.map((part) => Buffer.from(part.etag.replaceAll('"', ''), 'hex')));
    return {
      data: Buffer.concat(parts.map((part) => part.data)),
      etag: `"${createHash('md5').update(digests).digest('hex')}-${parts.length}"`,
      contentType: upload.contentType,
      lastModified: now(),
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, operation: Operation, key: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const raw = await readBody(req);
    const verified = verifyRequestSignature(
      { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headersDistinct },
      { region, now: now(), secretFor: (id) => (id === accessKeyId ? secretAccessKey : undefined) },
    );
    const { data, crc32: checksumCrc32 } = payloadOf(req, raw, verified);
    const contentType = req.headers['content-type'] ?? 'binary/octet-stream';
    switch (operation) {
      case 'PutObject': {
        const etag = `"${md5Hex(data)}"`;
        objects.set(key, { data, etag, contentType, lastModified: now(), checksumCrc32 });
        res.writeHead(200, { etag, ...(checksumCrc32 ? { 'x-amz-checksum-crc32': checksumCrc32 } : {}) });
        return void res.end();
      }
      case 'CreateMultipartUpload': {
        const uploadId = randomBytes(24).toString('base64url');
        uploads.set(uploadId, { key, contentType, parts: new Map() });
        res.writeHead(200, { 'content-type': 'application/xml' });
        return void res.end(xml('InitiateMultipartUploadResult', { Bucket: bucket, Key: key, UploadId: uploadId }));
      }
      case 'UploadPart': {
        const [, upload] = uploadOf(url.searchParams, key);
        const partNumber = Number(url.searchParams.get('partNumber'));
        if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) {
          throw new S3RequestError(
            400,
            'InvalidArgument',
            'Part number must be an integer between 1 and 10000, inclusive',
          );
        }
        const etag = `"${md5Hex(data)}"`;
        upload.parts.set(partNumber, { data, etag });
        res.writeHead(200, { etag });
        return void res.end();
      }
      case 'CompleteMultipartUpload': {
        const stored = completeUpload(key, url.searchParams, data);
        objects.set(key, stored);
        res.writeHead(200, { 'content-type': 'application/xml' });
        return void res.end(
          xml('CompleteMultipartUploadResult', {
            Location: `http://${req.headers.host}/${bucket}/${key}`,
            Bucket: bucket,
            Key: key,
            ETag: stored.etag,
          }),
        );
      }
      case 'AbortMultipartUpload': {
        const [uploadId] = uploadOf(url.searchParams, key);
        uploads.delete(uploadId);
        res.writeHead(204);
        return void res.end();
      }
      case 'GetObject':
      case 'HeadObject': {
        const stored = objects.get(key);
        if (!stored) throw new S3RequestError(404, 'NoSuchKey', 'The specified key does not exist.');
        res.writeHead(200, objectHeaders(stored));
        return void res.end(operation === 'GetObject' ? stored.data : undefined);
      }
      case 'DeleteObject':
        // S3 answers the same whether or not the key was there.
        objects.delete(key);
        res.writeHead(204);
        return void res.end();
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const [, bucketName = '', ...keyParts] = url.pathname.split('/');
    let key = '';
    try {
      key = keyParts.map((part) => decodeURIComponent(part)).join('/');
    } catch {
      key = keyParts.join('/');
    }
    const operation = operationOf(req.method ?? 'GET', url.searchParams);
    const payload = req.headersDistinct['x-amz-content-sha256']?.[0];
    const answer = (error: unknown) => {
      const refusal =
        error instanceof S3RequestError
          ? error
          : new S3RequestError(500, 'InternalError', error instanceof Error ? error.message : String(error));
      log.push({
        operation: operation ?? `${req.method} ${url.pathname}`,
        key,
        status: refusal.status,
        code: refusal.code,
        payload,
      });
      // The body may still be arriving (a refused upload): read it off so the client hears the answer.
      req.resume();
      sendError(res, req.method ?? 'GET', key, refusal);
    };
    if (!operation || !key) {
      return answer(
        new S3RequestError(
          501,
          'NotImplemented',
          'A header or operation you provided implies functionality that is not implemented by this stand-in.',
        ),
      );
    }
    if (bucketName !== bucket) {
      return answer(
        new S3RequestError(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucketName }),
      );
    }
    handle(req, res, operation, key).then(() => log.push({ operation, key, status: res.statusCode, payload }), answer);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('The S3 stand-in has no TCP address');

  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    object: (key) => objects.get(key)?.data,
    keys: () => [...objects.keys()],
    openUploads: () => uploads.size,
    requests: () => [...log],
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
