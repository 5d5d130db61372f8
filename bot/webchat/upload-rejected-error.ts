/**
 * A file the backend will not keep. The files endpoint answers with `status`; any error with a
 * numeric 413 or 415 `status` is treated the same, so a backend need not use this class.
 */
export class UploadRejectedError extends Error {
  readonly code: 'file_too_large' | 'unsupported_file_type';

  constructor(
    readonly status: 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'UploadRejectedError';
    this.code = status === 413 ? 'file_too_large' : 'unsupported_file_type';
  }
}
