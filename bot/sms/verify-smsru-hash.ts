import { createHash } from 'node:crypto';
import type { InboundRequest } from '../channels/channel-adapter.js';
import { MalformedPayloadError, WebhookAuthError } from '../channels/channel-errors.js';
import { formField, readFormBody, type FormFields } from '../channels/read-form-body.js';
import { constantTimeEqual } from '../whatsapp/constant-time-equal.js';

/**
 * The `data[…]` entries of an SMS.ru callback in their order. SMS.ru posts them as PHP array
 * fields, `data[0]`, `data[1]`… (or `data[]`), up to 100 per request.
 */
export function smsruEntries(fields: FormFields): string[] {
  const indexed = [...fields.entries()]
    .map(([name, values]) => ({ index: /^data\[(\d*)\]$/.exec(name)?.[1], values }))
    .filter((field): field is { index: string; values: string[] } => field.index !== undefined)
    .sort((a, b) => (a.index === '' ? Infinity : Number(a.index)) - (b.index === '' ? Infinity : Number(b.index)));
  return indexed.flatMap((field) => field.values);
}

/** The `hash` field: hex SHA-256 of the api_id followed by every data entry, joined as they are. */
function smsruHash(apiId: string, entries: string[]): string {
  return createHash('sha256')
    .update(`${apiId}${entries.join('')}`, 'utf8')
    .digest('hex');
}

/**
 * Throws WebhookAuthError unless the callback's `hash` is SMS.ru's signature of its entries with
 * this account's api_id. A request with no entries carries nothing to forge (SMS.ru checks a new
 * callback address with one) and passes.
 */
export function verifySmsruHash(request: InboundRequest, apiId: string): void {
  let fields: FormFields;
  try {
    fields = readFormBody(request);
  } catch (error) {
    if (error instanceof MalformedPayloadError)
      throw new WebhookAuthError(`The hash cannot be checked: ${error.message}`);
    throw error;
  }
  const entries = smsruEntries(fields);
  if (entries.length === 0) return;
  const hash = formField(fields, 'hash');
  if (!hash) throw new WebhookAuthError('The SMS.ru callback carries no hash');
  if (!constantTimeEqual(hash.toLowerCase(), smsruHash(apiId, entries))) {
    throw new WebhookAuthError('The SMS.ru callback hash does not match: check the api_id');
  }
}
