import type { Db } from 'mongodb';
import type { ChannelClient } from './channel-clients.js';
import type { InboundLoad } from './inbound-load.js';

export interface ReplyAttempt {
  text: string;
  conversationId: string;
  chatId: string;
  channel: ChannelClient['channel'];
  /** 202: queued (the API's promise); anything else (or none: the connection broke) promises nothing. */
  status: number | undefined;
}

/**
 * An operator answering through the REST API while the faults happen: a reply every few hundred
 * milliseconds to one of the Telegram or WhatsApp chats already open. Replies are not re-sent on
 * an error (the API takes no idempotency key for them): the answer decides what was promised.
 */
export class OperatorReplies {
  readonly attempts: ReplyAttempt[] = [];
  private readonly conversations = new Map<string, string>();
  private stopping = false;
  private running: Promise<void> | undefined;
  private cookie = '';
  private csrfToken = '';

  constructor(
    private readonly baseUrl: string,
    private readonly credentials: { email: string; password: string },
    private readonly load: InboundLoad,
    private readonly db: Db,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    let sequence = 0;
    while (!this.stopping) {
      await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
      const chats = this.load.chats.filter(
        ({ client, started }) => started && (client.channel === 'telegram' || client.channel === 'whatsapp'),
      );
      const chat = chats[Math.floor(Math.random() * chats.length)];
      if (!chat) continue;
      const conversationId = await this.conversationOf(chat.client.chatId);
      if (!conversationId) continue;
      if (!this.cookie && !(await this.login())) continue;
      const text = `ответ оператора ${++sequence}`;
      const status = await this.reply(conversationId, text);
      // A session lost with the web process (it is kept in the store, so this should not happen) is renewed.
      if (status === 401) this.cookie = '';
      this.attempts.push({ text, conversationId, chatId: chat.client.chatId, channel: chat.client.channel, status });
    }
  }

  private async conversationOf(chatId: string): Promise<string | undefined> {
    const known = this.conversations.get(chatId);
    if (known) return known;
    const found = await this.db
      .collection('conversations')
      .findOne({ chatId }, { projection: { _id: 1 }, maxTimeMS: 2000 })
      .catch(() => null);
    if (!found) return undefined;
    this.conversations.set(chatId, String(found._id));
    return String(found._id);
  }

  private async login(): Promise<boolean> {
    try {
      const response = await fetch(`${this.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(this.credentials),
        signal: AbortSignal.timeout(5000),
      });
      const body: unknown = await response.json();
      const sid = response.headers.getSetCookie().find((cookie) => cookie.startsWith('sid='));
      if (response.status !== 200 || !sid) return false;
      this.cookie = sid.split(';')[0]!;
      this.csrfToken = csrfOf(body) ?? '';
      return true;
    } catch {
      return false;
    }
  }

  private async reply(conversationId: string, text: string): Promise<number | undefined> {
    try {
      const response = await fetch(`${this.baseUrl}/api/v1/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          cookie: this.cookie,
          'x-csrf-token': this.csrfToken,
        },
        body: JSON.stringify({ text }),
        signal: AbortSignal.timeout(5000),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return undefined;
    }
  }
}

function csrfOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('csrfToken' in body)) return undefined;
  return typeof body.csrfToken === 'string' ? body.csrfToken : undefined;
}
