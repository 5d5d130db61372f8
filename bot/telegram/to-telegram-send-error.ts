import { GrammyError, HttpError } from 'grammy';
import { SendError } from '../channels/channel-errors.js';

/**
 * Classifies a failed Bot API call for the outbound worker. Telegram answers errors as
 * `{ ok: false, error_code, description, parameters }` (https://core.telegram.org/bots/api#making-requests);
 * grammy throws those as GrammyError and network failures as HttpError.
 */
export function toTelegramSendError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  if (error instanceof GrammyError) return fromApiError(error);
  if (error instanceof HttpError) return new SendError('transient', `Telegram could not be reached: ${error.message}`);
  const message = error instanceof Error ? error.message : String(error);
  return new SendError('transient', `Sending to Telegram failed: ${message}`);
}

function fromApiError(error: GrammyError): SendError {
  const code = String(error.error_code);
  const description = error.description;
  if (error.error_code === 429) {
    // Flood control: parameters.retry_after says how many seconds to wait (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
    const retryAfter = error.parameters.retry_after;
    return new SendError('rate-limited', description, code, retryAfter === undefined ? undefined : retryAfter * 1000);
  }
  // 403: "bot was blocked by the user", "user is deactivated", "bot was kicked from the group chat".
  if (error.error_code === 403) return new SendError('unreachable', description, code);
  // The person never started the bot or the chat is gone: nothing we resend will arrive.
  if (error.error_code === 400 && /chat not found/i.test(description))
    return new SendError('unreachable', description, code);
  if (error.error_code >= 400 && error.error_code < 500) return new SendError('permanent', description, code);
  return new SendError('transient', description, code);
}
