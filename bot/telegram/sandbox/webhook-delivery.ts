import { sleepUnlessStopped } from '../../channels/sleep-unless-stopped.js';
/** An update as the sandbox queues it: update_id plus exactly one of the update's kinds. */
export interface SandboxUpdate {
  update_id: number;
  [kind: string]: unknown;
}

export interface SandboxWebhook {
  url: string;
  secretToken?: string;
  allowedUpdates?: string[];
}

const FIRST_RETRY_MS = 1000;
const LAST_RETRY_MS = 60_000;
const DELIVERY_TIMEOUT_MS = 10_000;
/** Telegram keeps a bot's unconfirmed updates for a day; the sandbox keeps a bounded number instead. */
const MAX_PENDING = 10_000;

/**
 * A bot's pending updates and where they go: while a webhook is set they are POSTed to it one at
 * a time, in order, with the secret token in X-Telegram-Bot-Api-Secret-Token, and kept until it
 * answers 2xx (retried with growing pauses, as Telegram does,
 * https://core.telegram.org/bots/api#setwebhook); without one (or when delivery is off, as in tests
 * that read webhook() only) they wait for getUpdates.
 */
export class WebhookDelivery {
  private updates: SandboxUpdate[] = [];
  private allowed: string[] | undefined;
  private hook: { url: string; secretToken?: string } = { url: '' };
  private delivering = false;
  private readonly stop = new AbortController();

  constructor(private readonly posts: boolean) {}

  webhook(): SandboxWebhook {
    return { ...this.hook, ...(this.allowed ? { allowedUpdates: [...this.allowed] } : {}) };
  }

  pending(): number {
    return this.updates.length;
  }

  push(update: SandboxUpdate): void {
    this.updates.push(update);
    if (this.updates.length > MAX_PENDING) this.updates.shift();
    void this.deliver();
  }

  setWebhook(hook: { url: string; secretToken?: string }, allowed: string[] | undefined, dropPending: boolean): void {
    if (allowed) this.allowed = allowed;
    if (dropPending) this.updates = [];
    this.hook = hook;
    void this.deliver();
  }

  allow(allowed: string[]): void {
    this.allowed = allowed;
  }

  /** getUpdates' offset: everything below it is confirmed and forgotten. */
  confirm(offset: number): void {
    this.updates = this.updates.filter((update) => update.update_id >= offset);
  }

  deliverable(): SandboxUpdate[] {
    return this.updates.filter(
      (update) => !this.allowed?.length || Object.keys(update).some((key) => this.allowed?.includes(key)),
    );
  }

  close(): void {
    this.stop.abort();
  }

  private async deliver(): Promise<void> {
    if (!this.posts || this.delivering) return;
    this.delivering = true;
    try {
      let pause = FIRST_RETRY_MS;
      while (!this.stop.signal.aborted && this.hook.url) {
        const update = this.deliverable()[0];
        if (!update) break;
        if (await this.post(this.hook, update)) {
          this.updates = this.updates.filter((queued) => queued !== update);
          pause = FIRST_RETRY_MS;
          continue;
        }
        await sleepUnlessStopped(pause, this.stop.signal);
        pause = Math.min(pause * 2, LAST_RETRY_MS);
      }
    } finally {
      this.delivering = false;
    }
  }

  private async post(hook: { url: string; secretToken?: string }, update: SandboxUpdate): Promise<boolean> {
    try {
      const response = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(hook.secretToken ? { 'x-telegram-bot-api-secret-token': hook.secretToken } : {}),
        },
        body: JSON.stringify(update),
        signal: AbortSignal.any([this.stop.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
      });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }
}
