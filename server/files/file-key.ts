/**
 * Checks a file store key: keepFile makes them as `<last two hex digits>/<24-hex id>`. Anything else
 * could name a file or folder of someone else's (`../`, an absolute path, another prefix), so every
 * store refuses it before touching disk or bucket.
 */
export function assertFileKey(key: string): string {
  if (!/^[0-9a-f]{2}\/[0-9a-f]{24}$/.test(key)) throw new Error(`Not a file key: ${key}`);
  return key;
}
