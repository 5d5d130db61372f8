import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config/config.js';
import { scrubUrl } from './scrub-url.js';

export type { Logger };

/**
 * Keys whose value is a credential wherever a log call puts them: channel secrets (bot tokens,
 * WhatsApp's access token and app secret, SMTP/IMAP passwords, webhook secrets), sessions,
 * CSRF and API tokens, and the headers that carry them.
 */
const SECRET_KEYS = [
  'password',
  'passwordHash',
  'token',
  'tokenHash',
  'accessToken',
  'appSecret',
  'verifyToken',
  'webhookSecret',
  'authToken',
  'apiKey',
  'secret',
  'secrets',
  'csrfToken',
  'cookie',
  'authorization',
];

const SECRET_HEADERS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-csrf-token',
  'x-telegram-bot-api-secret-token',
  'x-hub-signature-256',
  'x-twilio-signature',
];

/**
 * pino's redact paths: each secret key at the top of a log object and one level down (pino's
 * wildcards match one level), and the secret headers of any `headers` object one or two levels
 * down (a request, an HTTP client's error).
 */
export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  ...SECRET_HEADERS.flatMap((header) => [`headers["${header}"]`, `*.headers["${header}"]`, `*.*.headers["${header}"]`]),
];

export interface LoggerOptions {
  /** Where the JSON lines go instead of stdout (tests read them from here). */
  destination?: DestinationStream;
}

/**
 * pino: readable lines in a terminal, JSON lines for log collectors (LOG_FORMAT overrides). Secrets
 * never reach a line: known secret keys and headers are redacted, and a `url` field has the
 * credentials in its query, user-info and capability paths replaced (scrubUrl).
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>, options: LoggerOptions = {}): Logger {
  const pretty =
    !options.destination &&
    (config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && process.stdout.isTTY === true));
  return pino(
    {
      level: config.LOG_LEVEL,
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { url: (url: unknown) => (typeof url === 'string' ? scrubUrl(url) : url) },
      ...(pretty
        ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }
        : {}),
    },
    options.destination,
  );
}
