/** The request is not from the provider (wrong secret token or signature): the webhook answers 401. */
export class WebhookAuthError extends Error {
  readonly code = 'webhook_unauthorized';
  constructor(message = 'The webhook signature or secret does not match') {
    super(message);
    this.name = 'WebhookAuthError';
  }
}

/** The body is not a payload the adapter understands: the webhook answers 400. */
export class MalformedPayloadError extends Error {
  readonly code = 'malformed_payload';
  constructor(message: string) {
    super(message);
    this.name = 'MalformedPayloadError';
  }
}

/**
 * How a send failed, which decides what the outbound worker does next:
 * - `rate-limited`: wait `retryAfterMs` (Telegram 429 retry_after), then try again, not counted as a failure;
 * - `unreachable`: the person blocked the bot or left; the identity is marked and nothing is retried;
 * - `window-closed`: outside the provider's service window only a template may go out;
 * - `permanent`: the provider refused this message for good (bad file, bad number);
 * - `transient`: network, 5xx, timeouts: retried with backoff.
 */
export type SendFailureKind = 'rate-limited' | 'unreachable' | 'window-closed' | 'permanent' | 'transient';

export class SendError extends Error {
  constructor(
    readonly kind: SendFailureKind,
    message: string,
    readonly providerCode?: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SendError';
  }

  get retryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'transient';
  }
}
