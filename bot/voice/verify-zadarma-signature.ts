import type { InboundRequest } from '../channels/channel-adapter.js';
import { MalformedPayloadError, WebhookAuthError } from '../channels/channel-errors.js';
import { formField, readFormBody, type FormFields } from '../channels/read-form-body.js';
import { constantTimeEqual } from '../whatsapp/constant-time-equal.js';
import { zadarmaSignature } from './zadarma-signature.js';

/**
 * The fields each notification signs, joined without separators
 * (https://zadarma.com/en/support/api/#api_webhooks and the Notify* classes of zadarma/user-api-v1).
 */
const SIGNED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  NOTIFY_START: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_INTERNAL: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_IVR: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_END: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_ANSWER: ['caller_id', 'destination', 'call_start'],
  NOTIFY_OUT_START: ['internal', 'destination', 'call_start'],
  NOTIFY_OUT_END: ['internal', 'destination', 'call_start'],
  NOTIFY_RECORD: ['pbx_call_id', 'call_id_with_rec'],
};

function zadarmaSignedText(event: string, fields: FormFields): string | undefined {
  // Own keys only: `event=valueOf` must not find Object.prototype's function.
  if (!Object.hasOwn(SIGNED_FIELDS, event)) return undefined;
  return SIGNED_FIELDS[event]!.map((name) => fields.get(name)?.[0] ?? '').join('');
}

/**
 * Throws WebhookAuthError unless the `Signature` header is Zadarma's signature of the event's
 * signed fields with this account's API secret. An event whose signed fields Zadarma does not
 * document cannot be checked, so it is refused too.
 */
export function verifyZadarmaSignature(request: InboundRequest, apiSecret: string): void {
  const header = request.headers.signature;
  if (typeof header !== 'string' || header === '') throw new WebhookAuthError('The Signature header is missing');
  let fields: FormFields;
  try {
    fields = readFormBody(request);
  } catch (error) {
    if (error instanceof MalformedPayloadError)
      throw new WebhookAuthError(`The signature cannot be checked: ${error.message}`);
    throw error;
  }
  const event = formField(fields, 'event') ?? '';
  const signed = zadarmaSignedText(event, fields);
  if (signed === undefined)
    throw new WebhookAuthError(`The signature of a ${event || 'nameless'} notification cannot be checked`);
  if (!constantTimeEqual(header, zadarmaSignature(signed, apiSecret))) {
    throw new WebhookAuthError('The Zadarma Signature does not match: check the API secret');
  }
}
