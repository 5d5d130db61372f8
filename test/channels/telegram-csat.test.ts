import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { startTelegramBotApi, type TelegramBotApiStandIn } from '../stand-ins/telegram-bot-api.js';
import { waitUntil } from '../wait-until.js';

/**
 * CSAT on Telegram through the running app: a person writes, an operator resolves the
 * conversation, the rating request reaches the Bot API stand-in with an inline keyboard of five
 * scores in the person's language, and the person's tap (a documented callback_query update,
 * https://core.telegram.org/bots/api#callbackquery) becomes the conversation's rating.
 */
describe('telegram CSAT', () => {
  let standIn: TelegramBotApiStandIn;
  let api: TestApi;
  let manager: ApiClient;
  let nextUpdateId = randomInt(1_000_000, 2_000_000);
  let nextMessageId = randomInt(1_000, 100_000);

  beforeAll(async () => {
    standIn = await startTelegramBotApi();
    api = await startTestApi({
      env: { TELEGRAM_API_ROOT: standIn.apiRoot, REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}` },
    });
    manager = await api.as('manager');
  });

  afterAll(async () => {
    await api?.close();
    await standIn?.close();
  });

  async function deliver(botId: string, secret: string, body: unknown): Promise<void> {
    const response = await fetch(`${api.baseUrl}/hooks/telegram/${botId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  }

  it("should ask for a 1–5 rating in the person's language on resolve and keep their tap", async () => {
    const admin = await api.as('admin');
    const secret = randomBytes(18).toString('base64url');
    const bot = await admin.post('/channels', {
      type: 'telegram',
      name: `Bot ${randomBytes(3).toString('hex')}`,
      token: standIn.token,
      webhookSecret: secret,
    });
    expect(bot.status).toBe(201);
    const chatId = randomInt(100_000_000, 999_999_999);
    const from = { id: chatId, is_bot: false, first_name: 'Emma', language_code: 'en' };
    const chat = { id: chatId, first_name: 'Emma', type: 'private' };
    await deliver(bot.body.id, secret, {
      update_id: nextUpdateId++,
      message: {
        message_id: nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        from,
        chat,
        text: 'Thanks, that is all',
      },
    });
    const conversation = await waitUntil('the conversation is stored', async () =>
      (await manager.get('/conversations?channel=telegram')).body.items.find(
        (item: { contactName?: string }) => item.contactName === 'Emma',
      ),
    );

    expect((await manager.patch(`/conversations/${conversation.id}`, { status: 'resolved' })).status).toBe(200);
    await expect
      .poll(() => standIn.sent().find((sent) => sent.chatId === String(chatId) && sent.buttons?.length))
      .toBeDefined();
    const prompt = standIn.sent().find((sent) => sent.chatId === String(chatId) && sent.buttons?.length)!;
    expect(prompt.text).toMatch(/^We have closed your request/);
    expect(prompt.buttons).toEqual(['★', '★★', '★★★', '★★★★', '★★★★★']);

    const callbackId = `${randomInt(1e9, 9e9)}${randomBytes(4).toString('hex')}`;
    await deliver(bot.body.id, secret, {
      update_id: nextUpdateId++,
      callback_query: {
        id: callbackId,
        from,
        chat_instance: '-8675309',
        data: `csat:${conversation.id}:4`,
        message: {
          message_id: prompt.messageId,
          date: Math.floor(Date.now() / 1000),
          chat,
          text: prompt.text,
          reply_markup: {
            inline_keyboard: [1, 2, 3, 4, 5].map((score) => [
              { text: '★'.repeat(score), callback_data: `csat:${conversation.id}:${score}` },
            ]),
          },
        },
      },
    });
    await expect.poll(() => standIn.answeredCallbacks()).toContain(callbackId);
    await expect
      .poll(async () => (await manager.get('/csat/summary?channel=telegram')).body)
      .toMatchObject({ count: 1, average: 4, byScore: { '4': 1 } });
    expect((await manager.get(`/conversations/${conversation.id}`)).body.status).toBe('resolved');
  });
});
