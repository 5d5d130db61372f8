import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Links to a kept file that work without signing in, for people outside the inbox: a site
 * visitor's own chat, a provider that fetches media by URL. The link names the file and an expiry
 * and carries an HMAC of both, so it cannot be altered or reused after it expires.
 */
export class FileLinkSigner {
  private readonly key: Buffer;

  constructor(secretsKey: Buffer) {
    // A key of its own, derived from the channel secrets key, so one leaked purpose does not serve the other.
    this.key = Buffer.from(hkdfSync('sha256', secretsKey, Buffer.alloc(0), 'file-links', 32));
  }

  private signature(fileId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${fileId}:${expires}`).digest('base64url');
  }

  /** Path of a link valid for `ttlMs` (append it to PUBLIC_URL for outside use). */
  path(fileId: string, ttlMs = 7 * 24 * 3600_000): string {
    const expires = Math.floor((Date.now() + ttlMs) / 1000);
    return `/files/${fileId}/${expires}/${this.signature(fileId, expires)}`;
  }

  verify(fileId: string, expires: string, signature: string): boolean {
    const seconds = Number(expires);
    if (!Number.isInteger(seconds) || seconds * 1000 < Date.now()) return false;
    const expected = Buffer.from(this.signature(fileId, seconds));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
