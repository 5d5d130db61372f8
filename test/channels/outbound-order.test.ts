import { randomBytes, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueMessage } from '../../server/messaging/queue-message.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import {
  startTelegramBotApi,
  type TelegramBotApiStandIn,
  type TelegramSentMessage,
} from '../stand-ins/telegram-bot-api.js';
import { waitUntil } from '../wait-until.js';
import { WorkerProcesses } from '../worker-processes.js';

/**
 * One chat's outbound messages reach the provider in the order they were stored, at least the
 * chat's interval apart (Telegram: about one a second per chat), while other chats' messages go
 * at the account's rate beside them: with one worker, with two worker processes, across a worker
 * killed mid-send, past a message the provider refuses for good, and past a broadcast backlog.
 */

const CHAT_INTERVAL_MS = 1000;
const RATE = 20;

interface Chat {
  chatId: string;
  conversationId: string;
}

/** A Telegram bot on the stand-in with conversations opened by the people writing first. */
async function connect(api: TestApi, admin: ApiClient, telegram: TelegramBotApiStandIn) {
  const channel = await admin.post('/channels', {
    type: 'telegram',
    name: `Order bot ${randomBytes(3).toString('hex')}`,
    token: telegram.token,
    ratePerSecond: RATE,
  });
  expect(channel.status).toBe(201);
  const accountId: string = channel.body.id;
  const secret = (await api.app.services.channels.get(accountId))!.secrets.webhookSecret!;

  const openChats = async (count: number): Promise<Chat[]> => {
    const chats: Chat[] = [];
    for (let index = 0; index < count; index++) {
      const chatId = randomInt(100_000_000, 999_999_999);
      const person = { id: chatId, first_name: `Клиент ${index}` };
      const response = await fetch(`${api.baseUrl}/hooks/telegram/${accountId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify({
          update_id: randomInt(1, 2 ** 31),
          message: {
            message_id: 1,
            date: Math.floor(Date.now() / 1000),
            chat: { ...person, type: 'private' },
            from: { ...person, is_bot: false },
            text: 'Здравствуйте',
          },
        }),
      });
      expect(response.status).toBe(200);
      const conversation = await api.db.collection('conversations').findOne({ chatId: String(chatId) });
      chats.push({ chatId: String(chatId), conversationId: conversation!._id.toHexString() });
    }
    return chats;
  };

  const reply = async (chat: Chat, text: string, fields: Record<string, unknown> = {}) => {
    const response = await admin.post(`/conversations/${chat.conversationId}/messages`, { text, ...fields });
    expect(response.status).toBe(202);
    return response.body.id as string;
  };

  return { accountId, openChats, reply };
}

const to = (telegram: TelegramBotApiStandIn, chat: Chat): TelegramSentMessage[] =>
  telegram.sent().filter((message) => message.chatId === chat.chatId);

/** The texts in order, and every gap at least the chat's interval. */
function expectInOrder(sent: TelegramSentMessage[], texts: string[]): void {
  expect(sent.map((message) => message.text)).toEqual(texts);
  for (let index = 1; index < sent.length; index++) {
    expect(sent[index]!.at - sent[index - 1]!.at).toBeGreaterThanOrEqual(CHAT_INTERVAL_MS);
  }
}

const burst = (label: string, count: number) => Array.from({ length: count }, (_, index) => `${label} ${index + 1}`);

async function messageOf(api: TestApi, messageId: string) {
  return api.db.collection('messages').findOne({ _id: new Types.ObjectId(messageId) });
}

// The two suites run side by side (each with its own app and stand-in); the tests within each one by one.
describe.concurrent('outbound order', () => {
  describe('in one process', () => {
    let api: TestApi;
    let telegram: TelegramBotApiStandIn;
    let bot: Awaited<ReturnType<typeof connect>>;

    beforeAll(async () => {
      telegram = await startTelegramBotApi();
      api = await startTestApi({ env: { TELEGRAM_API_ROOT: telegram.apiRoot } });
      bot = await connect(api, await api.as('admin'), telegram);
    }, 60_000);

    afterAll(async () => {
      await api?.close();
      await telegram?.close();
    });

    it.sequential(
      'should send 20 messages to one chat in order, a chat interval apart, while other chats go at the account rate',
      async () => {
        const [busy, ...others] = await bot.openChats(16);
        const texts = burst('по порядку', 20);
        for (const text of texts) await bot.reply(busy!, text);
        for (const [index, chat] of others.entries()) await bot.reply(chat, `другой чат ${index}`);

        await waitUntil(
          'the busy chat to get all',
          () => (to(telegram, busy!).length >= texts.length ? true : undefined),
          40_000,
        );
        expectInOrder(to(telegram, busy!), texts);
        // Queued after the busy chat's twenty, the other chats are not held behind them (under a
        // loaded machine's delays too: the busy chat needs twenty seconds).
        expect(others.every((chat) => to(telegram, chat).length === 1)).toBe(true);
        const othersDone = Math.max(...others.map((chat) => to(telegram, chat)[0]!.at));
        expect(othersDone).toBeLessThan(to(telegram, busy!)[texts.length / 2]!.at);
        // The account's rate holds over any rolling second.
        const times = telegram.sentAt();
        for (const at of times) {
          expect(times.filter((other) => other >= at && other < at + 1000).length).toBeLessThanOrEqual(RATE);
        }
      },
      45_000,
    );

    it.sequential(
      'should fail a message the provider refuses for good and send the next',
      async () => {
        const [chat] = await bot.openChats(1);
        await bot.reply(chat!, 'до отказа');
        // Telegram refuses callback_data over 64 bytes (https://core.telegram.org/bots/api#inlinekeyboardbutton).
        const refused = await bot.reply(chat!, 'отказ', { buttons: [{ id: 'x'.repeat(80), text: 'Кнопка' }] });
        await bot.reply(chat!, 'после отказа');
        await waitUntil('the message after the refused one', () =>
          to(telegram, chat!).length >= 2 ? true : undefined,
        );
        expectInOrder(to(telegram, chat!), ['до отказа', 'после отказа']);
        expect(await messageOf(api, refused)).toMatchObject({ status: 'failed', failure: { code: 'permanent' } });
      },
      20_000,
    );

    it.sequential(
      'should not hold a reply behind a broadcast backlog when a broadcast message to its chat came first',
      async () => {
        const [chat, ...backlog] = await bot.openChats(51);
        const broadcastId = new Types.ObjectId().toHexString();
        const author = { kind: 'system' as const };
        const broadcast = (conversationId: string, text: string) =>
          queueMessage(api.app.services, { conversationId, message: { text }, author, broadcastId });
        for (const other of backlog) await broadcast(other.conversationId, 'рассылка');
        await broadcast(chat!.conversationId, 'рассылка этому чату');
        await bot.reply(chat!, 'ответ оператора');
        await waitUntil('the backlog', () =>
          backlog.every((other) => to(telegram, other).length === 1) ? true : undefined,
        );
        expectInOrder(to(telegram, chat!), ['рассылка этому чату', 'ответ оператора']);
        // The chat's broadcast message took the reply's place in the queue, so both left before the backlog did.
        const backlogDone = Math.max(...backlog.map((other) => to(telegram, other)[0]!.at));
        expect(to(telegram, chat!)[1]!.at).toBeLessThan(backlogDone);
      },
      20_000,
    );
  });

  describe('in worker processes', () => {
    let api: TestApi;
    let telegram: TelegramBotApiStandIn;
    let bot: Awaited<ReturnType<typeof connect>>;
    const workers = new WorkerProcesses(() => api);

    beforeAll(async () => {
      telegram = await startTelegramBotApi();
      // A web-only app: the only senders are the two worker processes.
      api = await startTestApi({ env: { ROLE: 'web', TELEGRAM_API_ROOT: telegram.apiRoot } });
      bot = await connect(api, await api.as('admin'), telegram);
      workers.start({ TELEGRAM_API_ROOT: telegram.apiRoot });
      workers.start({ TELEGRAM_API_ROOT: telegram.apiRoot });
      const [first] = await bot.openChats(1);
      await bot.reply(first!, 'проверка связи');
      await waitUntil('the workers to start', () => (telegram.sent().length > 0 ? true : undefined), 40_000);
    }, 60_000);

    afterAll(async () => {
      workers.killAll();
      await api?.close();
      await telegram?.close();
    });

    it.sequential(
      'should keep one chat in order with two workers sending',
      async () => {
        const [busy, ...others] = await bot.openChats(9);
        const texts = burst('два воркера', 8);
        for (const text of texts) await bot.reply(busy!, text);
        for (const [index, chat] of others.entries()) await bot.reply(chat, `другой ${index}`);
        await waitUntil(
          'all to arrive',
          () =>
            to(telegram, busy!).length >= texts.length && others.every((chat) => to(telegram, chat).length === 1)
              ? true
              : undefined,
          20_000,
        );
        expectInOrder(to(telegram, busy!), texts);
        const othersDone = Math.max(...others.map((chat) => to(telegram, chat)[0]!.at));
        expect(othersDone).toBeLessThan(to(telegram, busy!)[texts.length / 2]!.at);
      },
      30_000,
    );

    it.sequential(
      'should keep the order across the workers killed mid-send',
      async () => {
        const [chat] = await bot.openChats(1);
        const texts = burst('после сбоя', 5);
        const held = telegram.holdNextSend();
        for (const text of texts) await bot.reply(chat!, text);
        await held.arrived;
        // The provider has the first message; the worker sending it dies before it hears back.
        workers.killAll();
        await held.abandoned;
        held.release();
        workers.start({ TELEGRAM_API_ROOT: telegram.apiRoot });
        // The killed worker's job comes back once its lock expires (10 s); the rest wait for it.
        await waitUntil('all to arrive', () => (to(telegram, chat!).length >= texts.length ? true : undefined), 40_000);
        expectInOrder(to(telegram, chat!), texts);
      },
      50_000,
    );
  });
});
