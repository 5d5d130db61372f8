import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { startS3Api, type S3Api } from '../stand-ins/s3-api.js';

/**
 * The whole app configured with S3_* settings pointing at the S3 stand-in: an operator's upload
 * goes through the files API into the bucket (not the local files folder) and is served back.
 */

const uploadedSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  mimeType: z.string(),
  size: z.number(),
  url: z.string(),
});

/** Bytes that sniff as JPEG (SOI, a JFIF APP0 header, …, EOI) around `size` random ones. */
function jpegBytes(size: number): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00]),
    randomBytes(size),
    Buffer.from([0xff, 0xd9]),
  ]);
}

describe('files API with S3 storage', () => {
  let s3: S3Api;
  let api: TestApi;
  let admin: ApiClient;

  beforeAll(async () => {
    s3 = await startS3Api({ region: 'ru-central1' });
    api = await startTestApi({
      env: {
        S3_BUCKET: s3.bucket,
        S3_ENDPOINT: s3.endpoint,
        S3_REGION: s3.region,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        S3_FORCE_PATH_STYLE: 'true',
      },
    });
    admin = await api.as('admin');
  });
  afterAll(async () => {
    await api?.close();
    await s3?.close();
  });

  function upload(client: ApiClient, bytes: Buffer, fileName: string): Promise<Response> {
    return fetch(`${api.baseUrl}/api/v1/files`, {
      method: 'POST',
      headers: {
        cookie: client.cookie ?? '',
        'x-csrf-token': client.csrfToken ?? '',
        'content-type': 'image/jpeg',
        'x-file-name': encodeURIComponent(fileName),
      },
      body: bytes,
    });
  }

  it.each([
    ['a photo', 200_000],
    ['a photo large enough for a multipart upload', 7 * 1024 * 1024],
  ])('should keep %s in the bucket and serve it back to a signed-in user', async (_, size) => {
    const bytes = jpegBytes(size);
    const uploaded = await upload(admin, bytes, 'Кухня, вид от окна.jpg');
    const answer: unknown = await uploaded.json();
    expect(uploaded.status, JSON.stringify(answer)).toBe(201);
    const body = uploadedSchema.parse(answer);
    expect(body).toMatchObject({ fileName: 'Кухня, вид от окна.jpg', mimeType: 'image/jpeg', size: bytes.length });

    const key = `${body.id.slice(-2)}/${body.id}`;
    expect(s3.object(key)?.equals(bytes)).toBe(true);
    expect(s3.requests().filter((entry) => entry.key === key && entry.status >= 400)).toEqual([]);
    expect(existsSync(join(api.app.config.dataDir, 'files'))).toBe(false);

    const served = await fetch(`${api.baseUrl}${body.url}`, { headers: { cookie: admin.cookie ?? '' } });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(served.headers.get('content-length')).toBe(String(bytes.length));
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await fetch(`${api.baseUrl}${body.url}`)).status).toBe(401);
  });

  it('should answer 404, not a server error, for a file whose bytes left the bucket', async () => {
    const uploaded = uploadedSchema.parse(await (await upload(admin, jpegBytes(1000), 'gone.jpg')).json());
    const key = `${uploaded.id.slice(-2)}/${uploaded.id}`;
    // Someone emptied the bucket by hand: the record remains, the object does not.
    await api.app.services!.files.remove(key);
    expect(s3.object(key)).toBeUndefined();

    const served = await fetch(`${api.baseUrl}${uploaded.url}`, { headers: { cookie: admin.cookie ?? '' } });
    expect(served.status).toBe(404);
    expect(await served.json()).toMatchObject({ error: { code: 'not_found' } });
    const signed = await fetch(`${api.baseUrl}${api.app.services!.fileLinks.path(uploaded.id)}`);
    expect(signed.status).toBe(404);
    expect(await signed.json()).toEqual({ error: { code: 'not_found', message: 'The file is gone' } });
  });
});
