import { SendError, type SendFailureKind } from '../channels/channel-errors.js';
import { VkApiError } from './vk-api-error.js';

interface ErrorRule {
  kind: SendFailureKind;
  /** How long to wait when the answer has no Retry-After header (VK's never do). */
  retryAfterMs?: number;
}

/**
 * What each VK error code means for the outbound worker (https://dev.vk.com/reference/errors).
 * Codes not listed fall back on the HTTP status below: VK answers its errors with 200, so an
 * unlisted code is a refusal of this message.
 */
const RULES: ReadonlyMap<number, ErrorRule> = new Map<number, ErrorRule>([
  // Too many requests per second: a community token may make 20 calls a second; a second drains it.
  [6, { kind: 'rate-limited', retryAfterMs: 1_000 }],
  // Flood control: too many messages to one person (about 1000 an hour) or the same one over and
  // over. It holds for that person only, so this message backs off rather than the whole queue.
  [9, { kind: 'transient' }],
  // Rate limit reached: the method's daily quota for this token.
  [29, { kind: 'rate-limited', retryAfterMs: 3_600_000 }],
  // Unknown error and internal server error: VK's own failure, worth another try.
  [1, { kind: 'transient' }],
  [10, { kind: 'transient' }],
  // The person blacklisted the community.
  [900, { kind: 'unreachable' }],
  // Can't send messages for users without permission: they never wrote or they pressed "deny".
  [901, { kind: 'unreachable' }],
  // Can't send messages to this user due to their privacy settings.
  [902, { kind: 'unreachable' }],
  // No access to the chat: the community was removed from the group chat.
  [917, { kind: 'unreachable' }],
  // The community cannot interact with this peer.
  [932, { kind: 'unreachable' }],
  // Contact not found.
  [936, { kind: 'unreachable' }],
  // The chat was disabled.
  [945, { kind: 'unreachable' }],
  // Everything else is a refusal of this message or a setting an admin must change: the token is
  // wrong or revoked (5, 27), lacks the messages right or the community's messages are off (7, 15),
  // a parameter is invalid (100), the keyboard (911), bot features are off (912), too long (914).
]);

/** For HTTP 429 without a VK code. */
const DEFAULT_RATE_LIMIT_MS = 1_000;

/** Classifies any failure of a send so the outbound worker knows whether and when to try again. */
export function toVkSendError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  if (!(error instanceof VkApiError)) {
    // Reading our own stored file failed: nothing reached VK, so another try is safe.
    const message = error instanceof Error ? error.message : String(error);
    return new SendError('transient', `The VK send failed before reaching VK: ${message}`);
  }
  const code = error.vkCode;
  const status = error.httpStatus;
  const providerCode = code !== undefined ? String(code) : status !== undefined ? String(status) : undefined;
  const rule = code === undefined ? undefined : RULES.get(code);
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
