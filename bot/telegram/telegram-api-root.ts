import type { ChannelAccount } from '../channels/channel-adapter.js';

/** Where Bot API calls go: Telegram (TELEGRAM_API_ROOT), or the demo's sandbox for its own bot. */
export interface TelegramApiRoots {
  apiRoot: string;
  /** The demo's Telegram sandbox; absent when the demo is off. */
  sandboxApiRoot?: string;
}

/** Thrown when the demo's sandbox account is used with the demo off: there is no sandbox to call. */
export class TelegramSandboxOffError extends Error {
  readonly code = 'telegram_sandbox_off';
  constructor() {
    super('This is the demo Telegram sandbox account; the sandbox runs only in demo mode (DEMO_DATA=true)');
    this.name = 'TelegramSandboxOffError';
  }
}

/** The API root for this account, without a trailing slash. */
export function telegramApiRootOf(account: Pick<ChannelAccount, 'sandbox'>, roots: TelegramApiRoots): string {
  if (!account.sandbox) return roots.apiRoot.replace(/\/+$/, '');
  if (!roots.sandboxApiRoot) throw new TelegramSandboxOffError();
  return roots.sandboxApiRoot.replace(/\/+$/, '');
}
