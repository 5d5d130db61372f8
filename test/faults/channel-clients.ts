import { randomBytes, randomInt } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { messagePayload, randomWamid, signedWebhook, whatsappMessage } from '../stand-ins/whatsapp-graph-api.js';

/** How long one delivery attempt may take before the sender counts it as unanswered. */
const ATTEMPT_TIMEOUT_MS = 5000;

/** One person writing on one channel: each message is built once and re-sent as is until answered. */
export interface ChannelClient {
  readonly channel: 'telegram' | 'whatsapp' | 'webchat';
  /** The chat's id as the app stores it (Conversation.chatId). */
  readonly chatId: string;
  readonly name: string;
  /** A new message; `attempt` delivers it once and says whether it was acknowledged. */
  compose(text: string): { attempt(): Promise<boolean> };
  close(): void;
}

async function post(url: string, headers: Record<string, string>, body: Buffer | string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

let nextUpdateId = randomInt(1_000_000, 2_000_000);

/** A Telegram user writing to the bot: Telegram posts each update to the webhook until it gets a 200. */
export function telegramClient(baseUrl: string, account: { id: string; webhookSecret: string }): ChannelClient {
  const userId = randomInt(100_000_000, 999_999_999);
  const name = `Тг${randomBytes(3).toString('hex')}`;
  let messageId = 0;
  return {
    channel: 'telegram',
    chatId: String(userId),
    name,
    compose(text) {
      const person = { id: userId, first_name: name };
      const update = {
        update_id: nextUpdateId++,
        message: {
          message_id: ++messageId,
          date: Math.floor(Date.now() / 1000),
          from: { ...person, is_bot: false },
          chat: { ...person, type: 'private' },
          text,
        },
      };
      const body = JSON.stringify(update);
      const headers = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': account.webhookSecret };
      return { attempt: () => post(`${baseUrl}/hooks/telegram/${account.id}`, headers, body) };
    },
    close() {},
  };
}

/** A WhatsApp user writing to the business number: Meta retries a webhook not answered 200. */
export function whatsappClient(
  baseUrl: string,
  account: { hookPath: string; appSecret: string; phoneNumberId: string },
): ChannelClient {
  const waId = `79${randomInt(100_000_000, 999_999_999)}`;
  const name = `Ва${randomBytes(3).toString('hex')}`;
  return {
    channel: 'whatsapp',
    chatId: waId,
    name,
    compose(text) {
      const payload = messagePayload(account.phoneNumberId, { waId, name }, whatsappMessage.text(text), randomWamid());
      const request = signedWebhook(account.appSecret, payload);
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
      return { attempt: () => post(`${baseUrl}${account.hookPath}`, headers, request.rawBody) };
    },
    close() {},
  };
}

/**
 * A visitor of the site chat on a socket that reconnects by itself, as the widget does; a message
 * whose ack did not come is sent again with the same clientMessageId, which ingest stores once.
 */
export function webchatClient(baseUrl: string, account: { id: string; origin: string }): ChannelClient {
  const visitorId = `v_${randomBytes(12).toString('base64url')}`;
  const socket: Socket = io(`${baseUrl}/visitor`, {
    auth: { channelId: account.id, visitorId, locale: 'ru' },
    transports: ['websocket'],
    extraHeaders: { origin: account.origin },
    reconnectionDelay: 200,
    reconnectionDelayMax: 1000,
  });
  return {
    channel: 'webchat',
    chatId: visitorId,
    name: visitorId,
    compose(text) {
      const clientMessageId = randomBytes(9).toString('base64url');
      return {
        async attempt() {
          if (!socket.connected) return false;
          try {
            const ack: unknown = await socket
              .timeout(ATTEMPT_TIMEOUT_MS)
              .emitWithAck('message', { clientMessageId, text });
            return typeof ack === 'object' && ack !== null && 'ok' in ack && ack.ok === true;
          } catch {
            return false;
          }
        },
      };
    },
    close() {
      socket.close();
    },
  };
}
