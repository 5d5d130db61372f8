import { ApiError, badRequest } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { MAX_IMPORT_FILE_BYTES } from './import-schemas.js';

const BASE64 = /^[A-Za-z0-9+/=\s]*$/;

export const fileTooLarge = () =>
  new ApiError(
    413,
    'payload_too_large',
    errorTexts.sayWith('importFileTooLarge', { megabytes: MAX_IMPORT_FILE_BYTES / 1024 / 1024 }),
  );

/**
 * An import file sent base64 in the request's `csv` field, as bytes. Checked by alphabet first:
 * Buffer.from silently skips characters that are not base64, which would turn a pasted text into
 * garbage rather than an error.
 */
export function base64FileBytes(data: string): Buffer {
  if (!BASE64.test(data)) throw badRequest(errorTexts.say('notBase64'));
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length > MAX_IMPORT_FILE_BYTES) throw fileTooLarge();
  return bytes;
}
