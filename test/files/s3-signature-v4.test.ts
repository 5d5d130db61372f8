import { describe, expect, it } from 'vitest';
import {
  chunkSignature,
  decodeAwsChunked,
  EMPTY_SHA256,
  S3RequestError,
  signingKey,
  trailerSignature,
  verifyRequestSignature,
  type SignedRequest,
} from '../stand-ins/s3-signature-v4.js';
import {
  ACCESS_KEY_ID,
  AMZ_DATE,
  CHUNKED_EXAMPLE_HEADERS,
  chunkedExampleBody,
  CHUNKS,
  SCOPE,
  SECRET,
  SEED_SIGNATURE,
} from './aws-sigv4-examples.js';

/**
 * The S3 stand-in's signature check against the examples AWS publishes for Signature Version 4
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html and
 * sigv4-streaming.html): passing them means the stand-in computes what S3 computes, not merely
 * what the SDK under test computes.
 */

const CHECK = {
  region: 'us-east-1',
  now: new Date('2013-05-24T00:00:00Z'),
  secretFor: (id: string) => (id === ACCESS_KEY_ID ? SECRET : undefined),
};

function example(
  method: string,
  url: string,
  headers: Record<string, string>,
  signature: string,
  host = 'examplebucket.s3.amazonaws.com',
): SignedRequest {
  const all: Record<string, string> = { host, 'x-amz-date': AMZ_DATE, ...headers };
  const signed = Object.keys(all).sort().join(';');
  all.authorization = `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/${SCOPE},SignedHeaders=${signed},Signature=${signature}`;
  return { method, url, headers: Object.fromEntries(Object.entries(all).map(([name, value]) => [name, [value]])) };
}

function refusal(run: () => unknown): S3RequestError {
  try {
    run();
  } catch (error) {
    if (error instanceof S3RequestError) return error;
    throw error;
  }
  throw new Error('The request was accepted');
}

describe('S3 signature version 4 check', () => {
  it('should accept AWS’s GET Object example and refuse it with a changed header', () => {
    const request = example(
      'GET',
      '/test.txt',
      { range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY_SHA256 },
      'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(verifyRequestSignature(request, CHECK)).toMatchObject({ accessKeyId: ACCESS_KEY_ID, scope: SCOPE });

    const changed = { ...request, headers: { ...request.headers, range: ['bytes=0-99'] } };
    const error = refusal(() => verifyRequestSignature(changed, CHECK));
    expect(error).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(error.details.CanonicalRequest).toContain('range:bytes=0-99');
  });

  it('should accept AWS’s PUT Object example, whose key is URI-encoded once', () => {
    const request = example(
      'PUT',
      '/test%24file.text',
      {
        date: 'Fri, 24 May 2013 00:00:00 GMT',
        'x-amz-content-sha256': '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      },
      '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
    );
    expect(verifyRequestSignature(request, CHECK).payloadHash).toBe(
      '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
    );
  });

  it('should sort the query and give a name without value an empty one, as in AWS’s bucket examples', () => {
    const lifecycle = example(
      'GET',
      '/?lifecycle',
      { 'x-amz-content-sha256': EMPTY_SHA256 },
      'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543',
    );
    expect(() => verifyRequestSignature(lifecycle, CHECK)).not.toThrow();
    const list = example(
      'GET',
      '/?prefix=J&max-keys=2',
      { 'x-amz-content-sha256': EMPTY_SHA256 },
      '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7',
    );
    expect(() => verifyRequestSignature(list, CHECK)).not.toThrow();
  });

  it('should refuse an unknown key, a wrong region, an old request and an unsigned x-amz header', () => {
    const valid = () =>
      example(
        'GET',
        '/test.txt',
        { range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY_SHA256 },
        'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
      );
    expect(refusal(() => verifyRequestSignature(valid(), { ...CHECK, secretFor: () => undefined }))).toMatchObject({
      status: 403,
      code: 'InvalidAccessKeyId',
    });
    expect(refusal(() => verifyRequestSignature(valid(), { ...CHECK, region: 'ru-central1' }))).toMatchObject({
      status: 400,
      code: 'AuthorizationHeaderMalformed',
    });
    expect(
      refusal(() => verifyRequestSignature(valid(), { ...CHECK, now: new Date('2013-05-24T00:16:00Z') })),
    ).toMatchObject({ status: 403, code: 'RequestTimeTooSkewed' });
    const smuggled = valid();
    smuggled.headers['x-amz-acl'] = ['public-read'];
    expect(refusal(() => verifyRequestSignature(smuggled, CHECK))).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      details: { HeadersNotSigned: 'x-amz-acl' },
    });
  });

  it('should chain AWS’s chunk signatures from the seed and give back the object’s bytes', () => {
    const request = example(
      'PUT',
      '/examplebucket/chunkObject.txt',
      CHUNKED_EXAMPLE_HEADERS,
      SEED_SIGNATURE,
      's3.amazonaws.com',
    );
    const verified = verifyRequestSignature(request, CHECK);
    expect(verified.signature).toBe(SEED_SIGNATURE);

    const key = signingKey(SECRET, '20130524', 'us-east-1');
    let previous = SEED_SIGNATURE;
    for (const { size, signature } of CHUNKS) {
      expect(chunkSignature(key, AMZ_DATE, SCOPE, previous, Buffer.alloc(size, 'a'))).toBe(signature);
      previous = signature;
    }
    const decoded = decodeAwsChunked(chunkedExampleBody(), verified);
    expect(decoded.data.equals(Buffer.alloc(66560, 'a'))).toBe(true);
    expect(decoded.trailers.size).toBe(0);

    // One byte of the second chunk changed on the way.
    expect(refusal(() => decodeAwsChunked(chunkedExampleBody(65536 + 200), verified))).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
  });

  it('should sign trailing headers after the last chunk as AWS’s common runtime does', () => {
    // The trailer example of aws-crt (ChunkSignerTests), continuing the chunked example above.
    const trailers = new Map([
      ['first', '1st'],
      ['second', '2nd'],
      ['third', '3rd'],
    ]);
    const key = signingKey(SECRET, '20130524', 'us-east-1');
    expect(trailerSignature(key, AMZ_DATE, SCOPE, CHUNKS[2]!.signature, trailers)).toBe(
      'df5735bd9f3295cd9386572292562fefc93ba94e80a0a1ddcbd652c4e0a75e6c',
    );
  });

  it('should read an unsigned aws-chunked body with a checksum trailer, as the SDK sends it', () => {
    const body = Buffer.from('b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n');
    const decoded = decodeAwsChunked(body);
    expect(decoded.data.toString()).toBe('hello world');
    expect([...decoded.trailers]).toEqual([['x-amz-checksum-crc32', 'DUoRhQ==']]);
    expect(refusal(() => decodeAwsChunked(body.subarray(0, 20)))).toMatchObject({
      status: 400,
      code: 'IncompleteBody',
    });
  });
});
