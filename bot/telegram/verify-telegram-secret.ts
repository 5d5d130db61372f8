import { createHash, timingSafeEqual } from 'node:crypto';
import type { InboundRequest } from '../channels/channel-adapter.js';
import { WebhookAuthError } from '../channels/channel-errors.js';

/** Telegram echoes setWebhook's secret_token in this header on every call (https://core.telegram.org/bots/api#setwebhook). */
export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Throws WebhookAuthError unless the request carries the account's webhook secret. */
export function verifyTelegramSecret(request: InboundRequest, webhookSecret: string): void {
  const header = request.headers[TELEGRAM_SECRET_HEADER];
  // A repeated header is not something Telegram sends: refuse it rather than guess which copy counts.
  const given = Array.isArray(header) ? (header.length === 1 ? header[0] : undefined) : header;
  if (given === undefined || given === '') throw new WebhookAuthError('The Telegram secret token header is missing');
  // Hashing first gives timingSafeEqual equal lengths, so the comparison leaks neither content nor length.
  if (!timingSafeEqual(digest(given), digest(webhookSecret))) {
    throw new WebhookAuthError('The Telegram secret token does not match');
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
