/**
 * A Bot API answer with `ok: false`; the HTTP status equals error_code, as Telegram does
 * (https://core.telegram.org/bots/api#making-requests).
 */
export class TelegramApiFailure extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number },
  ) {
    super(description);
    this.name = 'TelegramApiFailure';
  }

  toJSON(): Record<string, unknown> {
    return {
      ok: false,
      error_code: this.errorCode,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}
