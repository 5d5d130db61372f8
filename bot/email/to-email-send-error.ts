import { SendError } from '../channels/channel-errors.js';

interface NodemailerError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
  rejectedErrors?: NodemailerError[];
}

/** Enhanced status codes (RFC 3463) that say the address itself is dead: nothing will ever arrive there. */
const DEAD_ADDRESS = new Set(['5.1.1', '5.1.2', '5.1.3', '5.1.6', '5.1.10', '5.2.1']);
const CONNECTION = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EPROXY', 'ECONNREFUSED', 'ECONNRESET']);
const DEFAULT_RATE_WAIT_MS = 60_000;

/**
 * Classifies a failed SMTP send (RFC 5321 section 4.2: 4yz is transient, 5yz permanent) for the
 * outbound worker: a refused login is the account's problem, not going away by itself; a 4yz
 * with a 4.7.x policy code (rate limiting, greylisting) waits; a dead mailbox (5.1.1 "user
 * unknown") makes the person unreachable here; other 5yz refusals fail the message.
 */
export function toEmailSendError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  const failure = (error ?? {}) as NodemailerError;
  // All recipients refused: nodemailer names each refusal.
  const refusal = failure.rejectedErrors?.[0] ?? failure;
  const code = refusal.responseCode;
  const text = (refusal.response ?? refusal.message ?? failure.message ?? 'Sending the e-mail failed').slice(0, 2000);
  const enhanced = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1];
  const providerCode = code ? String(code) : failure.code;

  if (failure.code === 'EAUTH' || failure.code === 'ENOAUTH' || code === 535 || code === 534) {
    return new SendError('permanent', `The SMTP server refused the login: ${text}`, providerCode ?? 'EAUTH');
  }
  if (code && code >= 400 && code < 500) {
    if (enhanced?.startsWith('4.7.')) {
      return new SendError('rate-limited', text, providerCode, waitOf(text));
    }
    return new SendError('transient', text, providerCode);
  }
  if (code && code >= 500 && code < 600 && code !== 503) {
    if (enhanced && DEAD_ADDRESS.has(enhanced)) return new SendError('unreachable', text, enhanced);
    return new SendError('permanent', text, enhanced ?? providerCode);
  }
  if (failure.code === 'ETLS') {
    return new SendError(
      'permanent',
      `TLS with the SMTP server failed (check smtpPort and smtpSecure): ${text}`,
      'ETLS',
    );
  }
  if (failure.code && CONNECTION.has(failure.code)) {
    return new SendError('transient', `The SMTP server could not be reached: ${text}`, failure.code);
  }
  return new SendError('transient', text, providerCode);
}

/** Servers that throttle or greylist often say for how long: "try again in 300 seconds". */
function waitOf(text: string): number {
  const match = /(\d{1,6})\s*(second|sec|s\b|minute|min)/i.exec(text);
  if (!match) return DEFAULT_RATE_WAIT_MS;
  const amount = Number(match[1]);
  return /^m/i.test(match[2]!) ? amount * 60_000 : amount * 1000;
}
