import { Api, GrammyError } from 'grammy';
import type { Update } from 'grammy/types';
import type { InboundRequest } from '../channels/channel-adapter.js';
import type { TelegramAccount } from './telegram-adapter.js';
import { TELEGRAM_ALLOWED_UPDATES } from './telegram-update-schema.js';
import { toGrammySignal } from './to-grammy-signal.js';
import { TELEGRAM_SECRET_HEADER } from './verify-telegram-secret.js';
import { sleepUnlessStopped } from '../channels/sleep-unless-stopped.js';

export interface TelegramPollingOptions {
  account: TelegramAccount;
  apiRoot: string;
  /** Takes one update the way the webhook route would; resolves once the update is durable. */
  onUpdate: (request: InboundRequest) => Promise<void>;
  onError?: (error: unknown) => void;
}

export interface TelegramPolling {
  /** Ends the long poll now; resolves once the update being handled, if any, is done. */
  stop(): Promise<void>;
}

/** Seconds one getUpdates call waits for news; Telegram allows long polls well past this. */
const LONG_POLL_SECONDS = 25;
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;
const CONFIRM_TIMEOUT_MS = 1000;

/**
 * Receives a bot's updates with getUpdates (https://core.telegram.org/bots/api#getupdates), for
 * development without a public URL. Each update goes through the same verify + parse path as a
 * webhook call. Telegram forgets an update once getUpdates is called with a higher offset, so the
 * offset moves past an update only after onUpdate resolved: a crash re-delivers, never loses.
 */
export function startTelegramPolling({ account, apiRoot, onUpdate, onError }: TelegramPollingOptions): TelegramPolling {
  const api = new Api(account.secrets.token, { apiRoot: apiRoot.replace(/\/+$/, '') });
  const controller = new AbortController();
  const { signal } = controller;
  const apiSignal = toGrammySignal(signal);
  let offset: number | undefined;

  const toRequest = (update: Update): InboundRequest => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', [TELEGRAM_SECRET_HEADER]: account.secrets.webhookSecret },
    query: {},
    rawBody: Buffer.from(JSON.stringify(update)),
  });

  const pollOnce = async (): Promise<void> => {
    const updates = await api.getUpdates(
      { offset, timeout: LONG_POLL_SECONDS, allowed_updates: [...TELEGRAM_ALLOWED_UPDATES] },
      apiSignal,
    );
    for (const update of updates) {
      if (signal.aborted) return;
      await onUpdate(toRequest(update));
      offset = update.update_id + 1;
    }
  };

  const loop = async (): Promise<void> => {
    let webhookDeleted = false;
    let backoffMs = FIRST_BACKOFF_MS;
    while (!signal.aborted) {
      try {
        if (!webhookDeleted) {
          // getUpdates answers 409 Conflict while a webhook is set; pending updates stay queued.
          await api.deleteWebhook({ drop_pending_updates: false }, apiSignal);
          webhookDeleted = true;
        }
        await pollOnce();
        backoffMs = FIRST_BACKOFF_MS;
      } catch (error) {
        if (signal.aborted) return;
        onError?.(error);
        await sleepUnlessStopped(retryAfterMs(error) ?? backoffMs, signal);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
    }
  };
  const running = loop();
  return {
    async stop() {
      controller.abort();
      await running;
      if (offset === undefined) return;
      // Confirms what was handled, so a restart does not get it again (ingest would drop it as a duplicate anyway).
      await api
        .getUpdates({ offset, limit: 1, timeout: 0 }, toGrammySignal(AbortSignal.timeout(CONFIRM_TIMEOUT_MS)))
        .catch(() => undefined);
    },
  };
}

/** Telegram's flood control says how long to wait (https://core.telegram.org/bots/api#responseparameters). */
function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof GrammyError) || error.parameters.retry_after === undefined) return undefined;
  return error.parameters.retry_after * 1000;
}
