import { SendError, type SendFailureKind } from '../channels/channel-errors.js';
import { WhatsappApiError } from './whatsapp-api-error.js';

interface ErrorRule {
  /** The Graph error code, or the first of a range. */
  code: number;
  /** The last code of a range. */
  through?: number;
  kind: SendFailureKind;
  /** How long to wait when the answer has no Retry-After header (Meta's rarely do). */
  retryAfterMs?: number;
}

/**
 * What each Graph error code means for the outbound worker
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes). Codes not listed
 * fall back on the HTTP status below.
 */
const RULES: readonly ErrorRule[] = [
  // Throughput: the number sent more than its messages per second (80 by default); a second drains it.
  { code: 130429, kind: 'rate-limited', retryAfterMs: 1_000 },
  // Pair rate limit: Meta allows about one message every 6 seconds to the same person.
  { code: 131056, kind: 'rate-limited', retryAfterMs: 6_000 },
  // Graph application call limit; Meta counts it over a rolling hour, so retrying soon only burns calls.
  { code: 4, kind: 'rate-limited', retryAfterMs: 60_000 },
  // WhatsApp Business Account call limit (business use case), also counted over an hour.
  { code: 80007, kind: 'rate-limited', retryAfterMs: 60_000 },
  // Re-engagement: more than 24 hours since the person last wrote; only a template may go out now.
  { code: 131047, kind: 'window-closed' },
  // Undeliverable: not on WhatsApp, an outdated app, or Meta chose not to deliver to this person.
  { code: 131026, kind: 'unreachable' },
  // Recipient cannot be sender: the chat is the business number itself, no message will ever reach it.
  { code: 131021, kind: 'unreachable' },
  // Unsupported message type: resending the same body fails the same way.
  { code: 131051, kind: 'permanent' },
  // Invalid parameter: the body itself is wrong.
  { code: 100, kind: 'permanent' },
  // Template problems: missing translation, wrong parameter count, paused or disabled template.
  { code: 132000, through: 132015, kind: 'permanent' },
  // The access token expired or was revoked: an admin must reconnect the number.
  { code: 190, kind: 'permanent' },
  // Required parameter missing.
  { code: 131008, kind: 'permanent' },
  // Parameter value not valid (a button title too long, a bad media id).
  { code: 131009, kind: 'permanent' },
  // "Something went wrong": Meta's own failure, worth another try.
  { code: 131000, kind: 'transient' },
  // Service unavailable.
  { code: 131016, kind: 'transient' },
  // The account is in maintenance mode (e.g. a throughput upgrade): it comes back by itself.
  { code: 131057, kind: 'transient' },
];

/** For HTTP 429 with a code the table does not know. */
const DEFAULT_RATE_LIMIT_MS = 60_000;

/** Classifies any failure of a send so the outbound worker knows whether and when to try again. */
export function toWhatsappSendError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  if (!(error instanceof WhatsappApiError)) {
    // Reading our own stored file failed: nothing reached Meta, so another try is safe.
    const message = error instanceof Error ? error.message : String(error);
    return new SendError('transient', `The WhatsApp send failed before reaching Meta: ${message}`);
  }
  const code = error.graphCode;
  const status = error.httpStatus;
  const providerCode = code !== undefined ? String(code) : status !== undefined ? String(status) : undefined;
  const rule =
    code === undefined ? undefined : RULES.find((row) => code >= row.code && code <= (row.through ?? row.code));
  if (rule) {
    const retryAfterMs = rule.kind === 'rate-limited' ? (error.retryAfterMs ?? rule.retryAfterMs) : undefined;
    return new SendError(rule.kind, error.message, providerCode, retryAfterMs);
  }
  if (status === undefined || status >= 500) return new SendError('transient', error.message, providerCode);
  if (status === 429) {
    return new SendError('rate-limited', error.message, providerCode, error.retryAfterMs ?? DEFAULT_RATE_LIMIT_MS);
  }
  return new SendError('permanent', error.message, providerCode);
}
