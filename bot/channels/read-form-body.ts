import { MalformedPayloadError } from './channel-errors.js';
import type { InboundRequest } from './channel-adapter.js';

/** A posted form: every field name with all its values, in the order they came. */
export type FormFields = Map<string, string[]>;

/**
 * The fields of a form a provider posted (Twilio, SMS.ru and Zadarma all post forms), urlencoded
 * or multipart. Multipart bodies are split on the boundary their first line shows rather than the
 * header's: Zadarma has been seen sending the two differently. Throws MalformedPayloadError when
 * the body is neither.
 */
export function readFormBody(request: InboundRequest): FormFields {
  const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
  if (contentType.startsWith('multipart/form-data')) return readMultipart(request.rawBody);
  if (contentType !== '' && !contentType.startsWith('application/x-www-form-urlencoded')) {
    throw new MalformedPayloadError(`Expected a posted form, got ${contentType}`);
  }
  const fields: FormFields = new Map();
  for (const [name, value] of new URLSearchParams(request.rawBody.toString('utf8'))) {
    fields.set(name, [...(fields.get(name) ?? []), value]);
  }
  return fields;
}

/** The one value of a field, or undefined when it is absent or empty. */
export function formField(fields: FormFields, name: string): string | undefined {
  const value = fields.get(name)?.[0];
  return value === undefined || value === '' ? undefined : value;
}

const PART_NAME = /content-disposition:[^\r\n]*\bname="([^"]*)"/i;

function readMultipart(rawBody: Buffer): FormFields {
  const text = rawBody.toString('utf8');
  const delimiter = /^(--[^\r\n]+)\r?\n/.exec(text)?.[1];
  if (!delimiter) throw new MalformedPayloadError('The multipart form has no boundary line');
  const fields: FormFields = new Map();
  for (const part of text.split(delimiter).slice(1)) {
    if (part.startsWith('--')) break;
    const headerEnd = part.search(/\r?\n\r?\n/);
    if (headerEnd < 0) continue;
    const name = PART_NAME.exec(part.slice(0, headerEnd))?.[1];
    if (name === undefined) continue;
    const value = part
      .slice(headerEnd)
      .replace(/^\r?\n\r?\n/, '')
      .replace(/\r?\n$/, '');
    fields.set(name, [...(fields.get(name) ?? []), value]);
  }
  return fields;
}
