import { createServer, type IncomingMessage } from 'node:http';
import { randomSandboxToken, type TelegramSandboxSent } from '../../bot/telegram/sandbox/sandbox-bot.js';
import { TelegramApiFailure } from '../../bot/telegram/sandbox/telegram-api-failure.js';
import { TelegramSandbox } from '../../bot/telegram/sandbox/telegram-sandbox.js';
import { watchClient } from '../../bot/telegram/sandbox/watch-client.js';
import type { ProviderStandIn, SentRecord } from '../channels/adapter-fixture.js';

/**
 * The product's Telegram sandbox (bot/telegram/sandbox/, which the demo serves too) on a port of
 * its own with one bot, plus what only tests need: faults on demand (429, 403, 500) and sends held
 * until released, for the crash and ordering tests. Updates wait for getUpdates; tests that use a
 * webhook read webhook() and post updates themselves.
 */

/** One message the bot sent, recorded once its response was written. */
export interface TelegramSentMessage extends SentRecord, TelegramSandboxSent {}

export interface HeldSend {
  /** Resolves when the held request has arrived. */
  arrived: Promise<void>;
  /** Resolves when the held request's client hung up before release (it is then never recorded). */
  abandoned: Promise<void>;
  /** Lets the held request go on (it is dropped unrecorded if its client is gone by then). */
  release(): void;
}

export interface TelegramBotApiStandIn extends ProviderStandIn {
  /** What grammy's `apiRoot` option takes. */
  apiRoot: string;
  token: string;
  sent(): TelegramSentMessage[];
  /** When each message was sent (ms), in order: for rate assertions. */
  sentAt(): number[];
  /** Queues an update for getUpdates; assigns update_id when absent and returns it. */
  pushUpdate(update: Record<string, unknown>): number;
  /** Updates not yet confirmed by a getUpdates offset. */
  pendingUpdates(): number;
  addFile(fileId: string, bytes: Uint8Array | string, mimeType: string): void;
  answeredCallbacks(): string[];
  webhook(): { url: string; secretToken?: string; allowedUpdates?: string[] };
  /** Stalls the next send request until released or until its client disconnects. */
  holdNextSend(): HeldSend;
}

type Failure = { kind: 'rate-limit'; retryAfter: number } | { kind: 'blocked' } | { kind: 'server-error' };

export async function startTelegramBotApi(options: { token?: string } = {}): Promise<TelegramBotApiStandIn> {
  const token = options.token ?? randomSandboxToken();
  const failures: Failure[] = [];
  const holds: { arrive: () => void; abandon: () => void; released: Promise<void> }[] = [];

  /** A held send waits for its release; a fault asked for is then thrown as the answer. */
  const beforeSend = async (req: IncomingMessage): Promise<'go' | 'gone'> => {
    const hold = holds.shift();
    if (hold) {
      hold.arrive();
      let gone = false;
      await new Promise<void>((resolve) => {
        const unwatch = watchClient(req, () => {
          gone = true;
          resolve();
        });
        void hold.released.then(() => {
          unwatch();
          resolve();
        });
      });
      if (gone) {
        hold.abandon();
        return 'gone';
      }
    }
    const failure = failures.shift();
    if (failure) throw failureAnswer(failure);
    return 'go';
  };

  const sandbox = new TelegramSandbox({ beforeSend });
  const bot = sandbox.addBot({ token, firstName: 'Stand-in Bot', username: 'stand_in_bot' });
  const server = createServer((req, res) => void sandbox.handle(req, res, req.url ?? '/'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('The Telegram stand-in has no TCP address');

  return {
    apiRoot: `http://127.0.0.1:${address.port}`,
    token,
    sent: () => bot.sent(),
    sentAt: () => bot.sent().map((message) => message.at),
    pushUpdate: (update) => bot.pushUpdate(update),
    pendingUpdates: () => bot.pendingUpdates(),
    addFile(fileId, bytes, mimeType) {
      bot.files.store(Buffer.from(bytes), mimeType, 'documents', fileId);
    },
    answeredCallbacks: () => bot.answeredCallbacks(),
    webhook: () => bot.webhook(),
    holdNextSend() {
      let arrive = () => {};
      let abandon = () => {};
      let release = () => {};
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      const abandoned = new Promise<void>((resolve) => (abandon = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      holds.push({ arrive, abandon, released });
      return { arrived, abandoned, release };
    },
    failNextWithRateLimit: (retryAfter) => failures.push({ kind: 'rate-limit', retryAfter }),
    failNextWithBlocked: () => failures.push({ kind: 'blocked' }),
    failNextWithServerError: () => failures.push({ kind: 'server-error' }),
    async close() {
      sandbox.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // grammy keeps connections alive; without this close() would wait for them to time out.
      server.closeAllConnections();
      await closed;
    },
  };
}

function failureAnswer(failure: Failure): TelegramApiFailure {
  switch (failure.kind) {
    case 'rate-limit':
      return new TelegramApiFailure(429, `Too Many Requests: retry after ${failure.retryAfter}`, {
        retry_after: failure.retryAfter,
      });
    case 'blocked':
      return new TelegramApiFailure(403, 'Forbidden: bot was blocked by the user');
    case 'server-error':
      return new TelegramApiFailure(500, 'Internal Server Error');
  }
}
