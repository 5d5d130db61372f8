import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramSecretsSchema } from '../../bot/telegram/telegram-schemas.js';
import type { SandboxBot } from '../../bot/telegram/sandbox/sandbox-bot.js';
import { channelAccountModel } from '../../server/channels/channel-account-model.js';
import { DEMO_PASSWORD } from '../../server/demo/demo-accounts.js';
import { demoTelegramUserId } from '../../server/demo/seed-demo-telegram.js';
import { conversationModel } from '../../server/messaging/conversation-model.js';
import { messageModel } from '../../server/messaging/message-model.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';

/**
 * The demo's Telegram sandbox served by the app: its Bot API under /demo/telegram/bot-api, the
 * page's JSON under /demo/telegram/api, what reaches the inbox through the webhook and what the
 * inbox sends back through the outbound queue; and nothing of it with the demo off.
 */
describe('demo Telegram sandbox', () => {
  let api: TestApi;
  let bot: SandboxBot;
  let accountId: string;
  let token: string;

  const post = (path: string, body: unknown, type = 'application/json') =>
    fetch(`${api.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    api = await startTestApi({ demoData: true });
    bot = api.app.services.demoTelegram!.sandbox!.bots()[0]!;
    const record = await channelAccountModel(api.db).findOne({ type: 'telegram', sandbox: true }).lean();
    accountId = String(record!._id);
    const account = await api.app.services.channels.get(accountId);
    token = telegramSecretsSchema.parse(account!.secrets).token;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it('should speak the Bot API to the demo bot token only', async () => {
    const me = await (await post(`/demo/telegram/bot-api/bot${token}/getMe`, {})).json();
    expect(me).toEqual({ ok: true, result: expect.objectContaining({ is_bot: true, username: 'ecodom_demo_bot' }) });
    const stranger = await post('/demo/telegram/bot-api/bot123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/getMe', {});
    expect(stranger.status).toBe(401);
    expect(await stranger.json()).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
    const empty = await post(`/demo/telegram/bot-api/bot${token}/sendMessage`, { chat_id: 1 });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({
      ok: false,
      error_code: 400,
      description: 'Bad Request: message text is empty',
    });
    const unknown = await post(`/demo/telegram/bot-api/bot${token}/sendTelepathy`, {});
    expect(unknown.status).toBe(404);
    const action = await post(`/demo/telegram/bot-api/bot${token}/sendChatAction`, { chat_id: 5, action: 'typing' });
    expect(await action.json()).toEqual({ ok: true, result: true });
    const info = (await (await post(`/demo/telegram/bot-api/bot${token}/getWebhookInfo`, {})).json()) as {
      result: { url: string };
    };
    expect(info.result.url).toBe(`${api.baseUrl}/hooks/telegram/${accountId}`);
  });

  it('should refuse bad input to the page with a clear 4xx', async () => {
    const chat = demoTelegramUserId(33);
    const cases: [Response, number][] = [
      [await post(`/demo/telegram/api/chats/${chat}/messages`, {}), 400],
      [await post(`/demo/telegram/api/chats/${chat}/messages`, { text: '   ' }), 400],
      [await post(`/demo/telegram/api/chats/${chat}/messages`, { text: 'hi', admin: true }), 400],
      [await post('/demo/telegram/api/chats/abc/messages', { text: 'hi' }), 400],
      [await post('/demo/telegram/api/chats/-5/messages', { text: 'hi' }), 400],
      [await post(`/demo/telegram/api/chats/${chat}/messages`, '{"text":', 'application/json'), 400],
      // Someone the sandbox has never seen needs a name, as every Telegram user has one.
      [await post('/demo/telegram/api/chats/987654321/messages', { text: 'hi' }), 400],
      [await post(`/demo/telegram/api/chats/${chat}/taps`, { messageId: 3, data: 'no-such-button' }), 404],
      [await post('/demo/telegram/api/chats/987654322/taps', { messageId: 1, data: 'windows' }), 404],
      [await post(`/demo/telegram/api/chats/${chat}/taps`, { messageId: 'x', data: 'windows' }), 400],
    ];
    for (const [response, status] of cases) {
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: { message: string } }).error.message).toEqual(expect.any(String));
    }
    expect((await fetch(`${api.baseUrl}/demo/telegram/api/chats/${chat}/messages?after=x`)).status).toBe(400);
  });

  it("should bring what a visitor writes to the contact's conversation once, and the operator's reply back to the chat", async () => {
    const chatId = demoTelegramUserId(39);
    const conversation = await conversationModel(api.db)
      .findOne({ chatId: String(chatId) })
      .lean();
    const text = `Можно замер в субботу? ${Date.now()}`;
    const written = await post(`/demo/telegram/api/chats/${chatId}/messages`, { text });
    expect(written.status).toBe(202);
    await expect.poll(() => messageModel(api.db).countDocuments({ 'content.text': text }), { timeout: 15_000 }).toBe(1);
    const stored = await messageModel(api.db).findOne({ 'content.text': text }).lean();
    expect(stored!.conversationId.equals(conversation!._id)).toBe(true);
    expect(stored!.contactId.equals(conversation!.contactId)).toBe(true);
    // The sandbox does not deliver it again: it got its 200.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await messageModel(api.db).countDocuments({ 'content.text': text })).toBe(1);
    expect(bot.pendingUpdates()).toBe(0);

    const operator = await api.login('operator@demo.local', DEMO_PASSWORD);
    const reply = `Да, в субботу с 10 до 16. ${Date.now()}`;
    const sent = await operator.post(`/conversations/${String(conversation!._id)}/messages`, { text: reply });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    await expect.poll(() => bot.sent().some((message) => message.text === reply), { timeout: 15_000 }).toBe(true);
    const chat = (await (await fetch(`${api.baseUrl}/demo/telegram/api/chats/${chatId}/messages`)).json()) as {
      messages: { text?: string }[];
    };
    expect(chat.messages.map((entry: { text?: string }) => entry.text)).toEqual(expect.arrayContaining([text, reply]));
    await expect
      .poll(async () => (await messageModel(api.db).findOne({ 'content.text': reply }).lean())?.status, {
        timeout: 15_000,
      })
      .toBe('sent');
  });

  it("should keep the sandbox flag out of admins' hands and keep the demo bot registered with the sandbox", async () => {
    const admin = await api.login('admin@demo.local', DEMO_PASSWORD);
    const view = (await admin.get('/channels')).body.items.find((item: { id: string }) => item.id === accountId);
    expect(view).toMatchObject({ name: 'Telegram (демо)', sandbox: true });
    const renamed = await admin.patch(`/channels/${accountId}`, { name: 'Telegram (демо) — ЭкоДом' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ sandbox: true, webhookStatus: { state: 'registered' } });
    const smuggled = await admin.patch(`/channels/${accountId}`, { sandbox: false });
    expect(smuggled.status).toBe(400);
    const created = await admin.post('/channels', {
      type: 'telegram',
      name: 'Свой бот',
      token: '123456789:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      sandbox: true,
    });
    expect(created.status).toBe(400);
  });
});

describe('demo Telegram sandbox with the demo off', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ demoData: false });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it('should not exist', async () => {
    expect(api.app.services.demoTelegram).toBeUndefined();
    for (const path of ['/demo/telegram', '/demo/telegram/page.js', '/demo/telegram/api/chats']) {
      expect((await fetch(`${api.baseUrl}${path}`)).status).toBe(404);
    }
    const call = await fetch(
      `${api.baseUrl}/demo/telegram/bot-api/bot123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/getMe`,
      {
        method: 'POST',
      },
    );
    expect(call.status).toBe(404);
  });
});
