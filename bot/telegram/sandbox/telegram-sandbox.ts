import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBotApiParams } from './bot-api-params.js';
import { SandboxBot, type SandboxBotOptions } from './sandbox-bot.js';
import { FILE_FIELDS } from './sandbox-media.js';
import { TelegramApiFailure } from './telegram-api-failure.js';

export interface TelegramSandboxOptions {
  /** POST updates to the bots' webhooks (the demo); off, they only wait for getUpdates (most tests). */
  deliverToWebhook?: boolean;
  /**
   * Messages one bot may send a second before the sandbox answers 429 with retry_after, as
   * Telegram's flood control does (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
   */
  sendsPerSecond?: number;
  /**
   * Runs before a send method is answered: may throw a TelegramApiFailure (a fault a test asks for)
   * or say the client is gone, and the request is then dropped unanswered and unrecorded.
   */
  beforeSend?: (req: IncomingMessage) => Promise<'go' | 'gone'>;
}

const RATE_WINDOW_MS = 1000;

/**
 * A Telegram Bot API server in memory, for the demo's sandbox channel and for tests: speaks the
 * documented protocol (https://core.telegram.org/bots/api#making-requests), `/bot<token>/<method>`
 * with the parameters in the query string, JSON, urlencoded or multipart/form-data, answered with
 * `{ ok, result }` or `{ ok: false, error_code, description, parameters }`; files under
 * `/file/bot<token>/<file_path>`. It serves the bots added to it; any other token is 401.
 */
export class TelegramSandbox {
  private readonly byToken = new Map<string, SandboxBot>();
  private readonly sends = new Map<string, number[]>();

  constructor(private readonly options: TelegramSandboxOptions = {}) {}

  /** Adds a bot (or returns the one with this token). */
  addBot(bot: Omit<SandboxBotOptions, 'deliverToWebhook'>): SandboxBot {
    const known = this.byToken.get(bot.token);
    if (known) return known;
    const created = new SandboxBot({ ...bot, deliverToWebhook: this.options.deliverToWebhook === true });
    this.byToken.set(bot.token, created);
    return created;
  }

  bot(token: string): SandboxBot | undefined {
    return this.byToken.get(token);
  }

  bots(): SandboxBot[] {
    return [...this.byToken.values()];
  }

  /** Answers one request; `path` is the part after the sandbox's root. Never rejects. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    try {
      await this.route(req, res, path);
    } catch (error) {
      if (res.headersSent || res.destroyed) return;
      const failure =
        error instanceof TelegramApiFailure ? error : new TelegramApiFailure(400, `Bad Request: ${String(error)}`);
      answer(res, failure.errorCode, failure.toJSON());
    }
  }

  close(): void {
    for (const bot of this.byToken.values()) bot.close();
  }

  private async route(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const url = new URL(path, 'http://sandbox.invalid');
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      const file = this.byToken.get(fileMatch[1] ?? '')?.files.byPath(fileMatch[2] ?? '');
      if (!file) throw new TelegramApiFailure(404, 'Not Found');
      res.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.bytes.length });
      res.end(file.bytes);
      return;
    }
    const callMatch = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!callMatch?.[2]) throw new TelegramApiFailure(404, 'Not Found');
    const bot = this.byToken.get(callMatch[1] ?? '');
    if (!bot) throw new TelegramApiFailure(401, 'Unauthorized');
    // Method names are case-insensitive (https://core.telegram.org/bots/api#making-requests).
    const method = callMatch[2].toLowerCase();
    const params = await readBotApiParams(req, url);
    if (method === 'sendmessage' || FILE_FIELDS[method]) {
      if ((await this.options.beforeSend?.(req)) === 'gone') return void res.destroy();
      this.takeSendSlot(bot.token);
      const prepared = bot.prepareSend(method, params);
      // 'finish' fires once the whole answer is handed to the OS. A send whose client vanished first
      // (a killed worker) is never recorded, which is what the crash tests count on.
      res.once('finish', prepared.commit);
      return answer(res, 200, { ok: true, result: prepared.result });
    }
    const result = await bot.call(method, params, req);
    if (result === undefined) return void res.destroy();
    answer(res, 200, { ok: true, result });
  }

  private takeSendSlot(token: string): void {
    const limit = this.options.sendsPerSecond;
    if (!limit) return;
    const now = Date.now();
    const recent = (this.sends.get(token) ?? []).filter((at) => at > now - RATE_WINDOW_MS);
    if (recent.length >= limit) {
      this.sends.set(token, recent);
      throw new TelegramApiFailure(429, 'Too Many Requests: retry after 1', { retry_after: 1 });
    }
    recent.push(now);
    this.sends.set(token, recent);
  }
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
