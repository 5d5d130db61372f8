/**
 * A key with no bytes behind it. `code` is the ENOENT that LocalFileStore's fs calls reject with,
 * so a caller handles a missing file the same way whichever store is configured.
 */
export class FileNotFoundError extends Error {
  readonly code = 'ENOENT';

  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`No file is kept under ${key}`, options);
    this.name = 'FileNotFoundError';
  }
}
