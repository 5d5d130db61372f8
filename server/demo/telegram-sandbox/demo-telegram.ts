import type { AddressInfo } from 'node:net';
import { TelegramSandbox } from '../../../bot/telegram/sandbox/telegram-sandbox.js';
import type { Config } from '../../config/config.js';

/** Where the sandbox's Bot API is served, under the app's own address. */
export const DEMO_TELEGRAM_BOT_API_PATH = '/demo/telegram/bot-api';

/**
 * The demo's Telegram sandbox as this process knows it: where its Bot API answers (the adapter's
 * apiRoot for the demo bot), where it delivers the bot's webhook, and, in a process that serves
 * HTTP, the sandbox itself. Exists only with DEMO_DATA on.
 */
export interface DemoTelegram {
  apiRoot: string;
  webhookUrl(accountId: string): string;
  /** The sandbox served by this process (web role); a worker-only process calls the web's. */
  sandbox?: TelegramSandbox;
}

/**
 * Telegram allows about 30 messages a second to different chats
 * (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this); so does the sandbox.
 */
const SANDBOX_SENDS_PER_SECOND = 30;

/** The sandbox, made before the HTTP server listens so its routes can be mounted. */
export function createDemoTelegramSandbox(config: Config): TelegramSandbox | undefined {
  if (!config.DEMO_DATA || !config.runsWeb) return undefined;
  return new TelegramSandbox({ deliverToWebhook: true, sendsPerSecond: SANDBOX_SENDS_PER_SECOND });
}

/**
 * The addresses, once the server listens: the app calls itself on the loopback address it
 * listens on (a bound port 0 is known only then); a worker-only process goes through PUBLIC_URL.
 */
export function describeDemoTelegram(
  config: Config,
  address: AddressInfo | undefined,
  sandbox: TelegramSandbox | undefined,
): DemoTelegram | undefined {
  if (!config.DEMO_DATA) return undefined;
  const base = address ? `http://${loopbackHost(config.HOST)}:${address.port}` : config.publicUrl.replace(/\/+$/, '');
  return {
    apiRoot: `${base}${DEMO_TELEGRAM_BOT_API_PATH}`,
    webhookUrl: (accountId) => `${base}/hooks/telegram/${accountId}`,
    ...(sandbox ? { sandbox } : {}),
  };
}

function loopbackHost(host: string): string {
  if (host === '0.0.0.0' || host === 'localhost') return '127.0.0.1';
  if (host === '::' || host === '::1') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
