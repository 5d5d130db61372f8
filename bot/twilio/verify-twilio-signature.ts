import { createHmac } from 'node:crypto';
import type { InboundRequest } from '../channels/channel-adapter.js';
import { MalformedPayloadError, WebhookAuthError } from '../channels/channel-errors.js';
import { readFormBody, type FormFields } from '../channels/read-form-body.js';
import { constantTimeEqual } from '../whatsapp/constant-time-equal.js';

/**
 * X-Twilio-Signature: base64 of the HMAC-SHA1, keyed with the Auth Token, of the full URL Twilio
 * called followed by every POST field, sorted by name, as name + value with no separators
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-security). A field sent several times
 * contributes each distinct value, sorted, as twilio-node does.
 */
function twilioSignature(authToken: string, url: string, fields: FormFields): string {
  const data = [...fields.keys()]
    .sort()
    .reduce(
      (signed, name) => [...new Set(fields.get(name))].sort().reduce((acc, value) => `${acc}${name}${value}`, signed),
      url,
    );
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * Each URL as Twilio may have signed it. Twilio is not consistent about default ports, so, like
 * its own helper libraries, both the form with the port and the one without are tried.
 */
function spellings(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const withoutPort = new URL(parsed);
  withoutPort.port = '';
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  const withPort = `${parsed.protocol}//${parsed.hostname}:${port}${parsed.pathname}${parsed.search}`;
  return [withoutPort.toString(), withPort, url];
}

/**
 * Throws WebhookAuthError unless X-Twilio-Signature signs this form at one of the URLs the request
 * may have been made to: behind a proxy that is PUBLIC_URL (what the admin pasted into the Twilio
 * console), not the address the app sees, so both are tried.
 */
export function verifyTwilioSignature(request: InboundRequest, authToken: string): void {
  const header = request.headers['x-twilio-signature'];
  if (typeof header !== 'string' || header === '')
    throw new WebhookAuthError('The X-Twilio-Signature header is missing');
  let fields: FormFields;
  try {
    fields = readFormBody(request);
  } catch (error) {
    if (error instanceof MalformedPayloadError)
      throw new WebhookAuthError(`The signature cannot be checked: ${error.message}`);
    throw error;
  }
  const urls = [...new Set((request.urls ?? []).flatMap(spellings))];
  if (urls.some((url) => constantTimeEqual(header, twilioSignature(authToken, url, fields)))) return;
  throw new WebhookAuthError(
    'The X-Twilio-Signature signature does not match: check the Auth Token, and that PUBLIC_URL is the address pasted into Twilio',
  );
}
