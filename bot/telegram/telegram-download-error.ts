/** An inbound file could not be fetched from Telegram; `retryable` when a later attempt may succeed. */
export class TelegramDownloadError extends Error {
  readonly code = 'telegram_download_failed';
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'TelegramDownloadError';
  }
}
