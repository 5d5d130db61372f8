import type { InboundRequest } from '../channels/channel-adapter.js';
import { MalformedPayloadError, WebhookAuthError } from '../channels/channel-errors.js';
import { constantTimeEqual } from './constant-time-equal.js';

/**
 * Meta confirms a callback URL with GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…
 * and expects the challenge echoed back as the body
 * (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests).
 * Undefined when the request is not such a GET.
 */
export function answerWhatsappHandshake(request: InboundRequest, verifyToken: string): string | undefined {
  const mode = request.query['hub.mode'];
  if (request.method.toUpperCase() !== 'GET' || mode === undefined) return undefined;
  const token = request.query['hub.verify_token'];
  const challenge = request.query['hub.challenge'];
  if (mode !== 'subscribe' || typeof token !== 'string' || !constantTimeEqual(token, verifyToken)) {
    throw new WebhookAuthError('The webhook verification token does not match');
  }
  if (typeof challenge !== 'string' || challenge === '') {
    throw new MalformedPayloadError('The webhook verification request has no hub.challenge');
  }
  return challenge;
}
