import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * AWS Signature Version 4 as Amazon S3 checks it, written from AWS's documentation so the S3
 * stand-in can refuse what S3 refuses:
 * - https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html (one chunk)
 * - https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html (aws-chunked, signed chunks)
 * - https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html (trailing headers)
 */

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** How S3 answers a request it refuses: HTTP status, S3 error code, and the XML's extra fields. */
export class S3RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'S3RequestError';
  }
}

/** What a request looks like to the signature check: header names lower-case, values as sent. */
export interface SignedRequest {
  method: string;
  /** Path and query exactly as on the request line. */
  url: string;
  headers: Record<string, string[] | undefined>;
}

/** A request whose Authorization header checked out; what its body's chunks are chained to. */
export interface VerifiedRequest {
  accessKeyId: string;
  amzDate: string;
  scope: string;
  signingKey: Buffer;
  signature: string;
  /** The x-amz-content-sha256 value: a hex digest, UNSIGNED-PAYLOAD or a STREAMING-* marker. */
  payloadHash: string;
}

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

function sameHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** AWS's UriEncode: every byte but A-Z a-z 0-9 - . _ ~ as %XY, and `/` too unless it separates a path. */
export function uriEncode(value: string, encodeSlash = true): string {
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(char) || (char === '/' && !encodeSlash)) encoded += char;
    else encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

function decode(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    throw new S3RequestError(400, 'InvalidURI', `Couldn't parse the specified URI: ${component}`);
  }
}

/** The path's segments, each URI-encoded once: S3 does not normalise `.`, `..` or `//`. */
export function canonicalUri(path: string): string {
  return path
    .split('/')
    .map((segment) => uriEncode(decode(segment)))
    .join('/');
}

/** Names and values URI-encoded, sorted by name and then value; `uploads` becomes `uploads=`. */
export function canonicalQuery(query: string): string {
  return query
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      const value = equals < 0 ? '' : pair.slice(equals + 1);
      return [uriEncode(decode(name)), uriEncode(decode(value))] as const;
    })
    .sort(([nameA, valueA], [nameB, valueB]) => (nameA === nameB ? (valueA < valueB ? -1 : 1) : nameA < nameB ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

export function canonicalRequest(request: SignedRequest, signedHeaders: string[], payloadHash: string): string {
  const queryAt = request.url.indexOf('?');
  const path = queryAt < 0 ? request.url : request.url.slice(0, queryAt);
  const query = queryAt < 0 ? '' : request.url.slice(queryAt + 1);
  const headerLines = signedHeaders.map((name) => {
    // Values trimmed, runs of spaces made one, several values of one header joined by commas.
    const values = (request.headers[name] ?? []).map((value) => value.trim().replace(/\s+/g, ' '));
    return `${name}:${values.join(',')}\n`;
  });
  return [
    request.method,
    canonicalUri(path),
    canonicalQuery(query),
    headerLines.join(''),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

export function signingKey(secretAccessKey: string, date: string, region: string, service = 's3'): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
}

export function requestStringToSign(amzDate: string, scope: string, canonical: string): string {
  return ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
}

/** The signature of one aws-chunked chunk, chained to the one before it (the seed for the first). */
export function chunkSignature(
  key: Buffer,
  amzDate: string,
  scope: string,
  previousSignature: string,
  chunk: Buffer,
): string {
  const stringToSign = [
    'AWS4-HMAC-SHA256-PAYLOAD',
    amzDate,
    scope,
    previousSignature,
    EMPTY_SHA256,
    sha256Hex(chunk),
  ].join('\n');
  return hmac(key, stringToSign).toString('hex');
}

/** The signature of the trailing headers (`name:value\n` each, sorted), chained to the last chunk's. */
export function trailerSignature(
  key: Buffer,
  amzDate: string,
  scope: string,
  previousSignature: string,
  trailers: Map<string, string>,
): string {
  const canonical = [...trailers.keys()]
    .sort()
    .map((name) => `${name}:${trailers.get(name)}\n`)
    .join('');
  const stringToSign = ['AWS4-HMAC-SHA256-TRAILER', amzDate, scope, previousSignature, sha256Hex(canonical)].join('\n');
  return hmac(key, stringToSign).toString('hex');
}

function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  return new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
}

function single(request: SignedRequest, name: string): string | undefined {
  return request.headers[name]?.[0];
}

/**
 * Checks a request's `Authorization: AWS4-HMAC-SHA256 …` header the way S3 does; throws the error
 * S3 would answer with. The body is checked separately against `payloadHash`.
 */
export function verifyRequestSignature(
  request: SignedRequest,
  options: { region: string; secretFor(accessKeyId: string): string | undefined; now: Date },
): VerifiedRequest {
  const authorization = single(request, 'authorization');
  if (!authorization) throw new S3RequestError(403, 'AccessDenied', 'Access Denied');
  const match = /^AWS4-HMAC-SHA256 (.+)$/.exec(authorization);
  if (!match?.[1]) throw new S3RequestError(400, 'InvalidArgument', 'Unsupported Authorization Type');
  const fields = new Map(
    match[1].split(',').map((field) => {
      const [name = '', ...value] = field.trim().split('=');
      return [name, value.join('=')] as const;
    }),
  );
  const credential = fields.get('Credential')?.split('/') ?? [];
  const signedHeaders = fields.get('SignedHeaders')?.split(';') ?? [];
  const signature = fields.get('Signature') ?? '';
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] = credential;
  if (credential.length !== 5 || signedHeaders.length === 0 || !/^[0-9a-f]{64}$/.test(signature)) {
    throw new S3RequestError(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed');
  }
  const secret = options.secretFor(accessKeyId);
  if (secret === undefined) {
    throw new S3RequestError(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      { AWSAccessKeyId: accessKeyId },
    );
  }
  const amzDate = single(request, 'x-amz-date') ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt)
    throw new S3RequestError(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  if (date !== amzDate.slice(0, 8) || service !== 's3' || terminator !== 'aws4_request') {
    throw new S3RequestError(
      400,
      'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the credential scope '${credential.slice(1).join('/')}' does not fit the request`,
    );
  }
  if (region !== options.region) {
    throw new S3RequestError(
      400,
      'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the region '${region}' is wrong; expecting '${options.region}'`,
      { Region: options.region },
    );
  }
  if (Math.abs(options.now.getTime() - signedAt.getTime()) > 15 * 60 * 1000) {
    throw new S3RequestError(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
    );
  }
  // S3 requires the host and every x-amz-* header present to be signed.
  const unsigned = Object.keys(request.headers).filter(
    (name) => (name === 'host' || name.startsWith('x-amz-')) && !signedHeaders.includes(name),
  );
  if (unsigned.length > 0) {
    throw new S3RequestError(403, 'AccessDenied', 'There were headers present in the request which were not signed', {
      HeadersNotSigned: unsigned.join(', '),
    });
  }
  const payloadHash = single(request, 'x-amz-content-sha256');
  if (!payloadHash) {
    throw new S3RequestError(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  }
  const scope = `${date}/${region}/s3/aws4_request`;
  const canonical = canonicalRequest(request, signedHeaders, payloadHash);
  const stringToSign = requestStringToSign(amzDate, scope, canonical);
  const key = signingKey(secret, date, region);
  if (!sameHex(hmac(key, stringToSign).toString('hex'), signature)) {
    throw new S3RequestError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      {
        AWSAccessKeyId: accessKeyId,
        StringToSign: stringToSign,
        SignatureProvided: signature,
        CanonicalRequest: canonical,
      },
    );
  }
  return { accessKeyId, amzDate, scope, signingKey: key, signature, payloadHash };
}

/** A body sent `Content-Encoding: aws-chunked`, unwrapped: the object's bytes and the trailing headers. */
export interface DecodedChunks {
  data: Buffer;
  trailers: Map<string, string>;
}

/**
 * Unwraps an aws-chunked body (`<hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n` … a zero-size
 * chunk, then trailing headers and an empty line). With `chain` every chunk's signature and the
 * trailer signature are checked, as for STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER].
 */
export function decodeAwsChunked(body: Buffer, chain?: VerifiedRequest): DecodedChunks {
  const malformed = (why: string) =>
    new S3RequestError(400, 'IncompleteBody', `The aws-chunked body is malformed: ${why}`);
  const mismatch = () =>
    new S3RequestError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
  let at = 0;
  const line = (): string => {
    const end = body.indexOf('\r\n', at);
    if (end < 0) throw malformed('a line does not end in CRLF');
    const text = body.subarray(at, end).toString('latin1');
    at = end + 2;
    return text;
  };
  const chunks: Buffer[] = [];
  let previous = chain?.signature ?? '';
  for (;;) {
    const header = /^([0-9a-fA-F]+)(?:;chunk-signature=([0-9a-f]{64}))?$/.exec(line());
    if (!header?.[1]) throw malformed('a chunk header is not <hex size>[;chunk-signature=<signature>]');
    const size = Number.parseInt(header[1], 16);
    const data = body.subarray(at, at + size);
    if (data.length !== size) throw malformed('a chunk is shorter than its size');
    at += size;
    if (chain) {
      if (
        !header[2] ||
        !sameHex(chunkSignature(chain.signingKey, chain.amzDate, chain.scope, previous, data), header[2])
      ) {
        throw mismatch();
      }
      previous = header[2];
    }
    if (size === 0) break;
    chunks.push(data);
    if (line() !== '') throw malformed('a chunk is longer than its size');
  }
  const trailers = new Map<string, string>();
  let signature: string | undefined;
  for (let text = line(); text !== ''; text = line()) {
    const colon = text.indexOf(':');
    if (colon <= 0) throw malformed(`'${text}' is not a trailing header`);
    const name = text.slice(0, colon).trim().toLowerCase();
    const value = text.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') signature = value;
    else trailers.set(name, value);
  }
  if (at !== body.length) throw malformed('bytes follow the last chunk');
  if (chain && trailers.size > 0) {
    const expected = trailerSignature(chain.signingKey, chain.amzDate, chain.scope, previous, trailers);
    if (!signature || !sameHex(expected, signature)) throw mismatch();
  }
  return { data: Buffer.concat(chunks), trailers };
}
