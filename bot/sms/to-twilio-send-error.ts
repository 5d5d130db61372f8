import { SendError, type SendFailureKind } from '../channels/channel-errors.js';
import { TwilioApiError } from '../twilio/twilio-api-error.js';

/**
 * What Twilio's REST error codes mean for the outbound worker
 * (https://www.twilio.com/docs/api/errors). Codes not listed fall back on the HTTP status.
 */
const RULES: Readonly<Record<number, SendFailureKind>> = {
  // Too Many Requests: the account's concurrency or the number's throughput.
  20429: 'rate-limited',
  // Attempt to send to an unsubscribed recipient: the person texted STOP to this number.
  21610: 'unreachable',
  // The 'To' number is not a valid mobile number: a landline never gets an SMS.
  21614: 'unreachable',
  // Invalid 'To' phone number.
  21211: 'permanent',
  // Permission to send to this region is not enabled (Console > Messaging > Geo permissions).
  21408: 'permanent',
  // The 'From' number is not a Twilio number of this account, or cannot send SMS.
  21606: 'permanent',
  21659: 'permanent',
  // Body too long (over 1600 characters).
  21617: 'permanent',
  // Authentication failed: the Auth Token changed.
  20003: 'permanent',
};

/** For 429s whose answer has no Retry-After. */
const DEFAULT_RATE_LIMIT_MS = 1_000;

/** Classifies any failure of a Twilio send so the outbound worker knows whether to try again. */
export function toTwilioSendError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  if (!(error instanceof TwilioApiError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new SendError('transient', `The SMS failed before reaching Twilio: ${message}`);
  }
  const { twilioCode, httpStatus } = error;
  const providerCode = String(twilioCode ?? httpStatus ?? 'transient');
  const kind = twilioCode === undefined ? undefined : RULES[twilioCode];
  if (kind === 'rate-limited' || (kind === undefined && httpStatus === 429)) {
    return new SendError('rate-limited', error.message, providerCode, error.retryAfterMs ?? DEFAULT_RATE_LIMIT_MS);
  }
  if (kind) return new SendError(kind, error.message, providerCode);
  if (httpStatus === undefined || httpStatus >= 500) return new SendError('transient', error.message, providerCode);
  return new SendError('permanent', error.message, providerCode);
}
