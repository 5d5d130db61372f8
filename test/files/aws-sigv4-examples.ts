/**
 * AWS's published Signature Version 4 examples for S3: the credentials, time and scope they use, and
 * the chunked upload of https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html.
 */

export const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const AMZ_DATE = '20130524T000000Z';
export const SCOPE = '20130524/us-east-1/s3/aws4_request';
/** AWS's chunked example: 66560 bytes of 'a' as a 64 KiB chunk, a 1 KiB chunk and the empty one. */
export const CHUNKS = [
  { size: 65536, signature: 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648' },
  { size: 1024, signature: '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497' },
  { size: 0, signature: 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9' },
];
export const SEED_SIGNATURE = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';

export function chunkedExampleBody(corruptByte?: number): Buffer {
  const body = Buffer.concat(
    CHUNKS.map(({ size, signature }) =>
      Buffer.concat([
        Buffer.from(`${size.toString(16)};chunk-signature=${signature}\r\n`),
        Buffer.alloc(size, 'a'),
        Buffer.from('\r\n'),
      ]),
    ),
  );
  if (corruptByte !== undefined) body[corruptByte] = 'b'.charCodeAt(0);
  return body;
}

export const CHUNKED_EXAMPLE_HEADERS = {
  'content-encoding': 'aws-chunked',
  'content-length': '66824',
  'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'x-amz-decoded-content-length': '66560',
  'x-amz-storage-class': 'REDUCED_REDUNDANCY',
};
