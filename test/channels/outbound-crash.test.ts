import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { startTelegramBotApi, type TelegramBotApiStandIn } from '../stand-ins/telegram-bot-api.js';
import { waitUntil } from '../wait-until.js';
import { WorkerProcesses } from '../worker-processes.js';

/**
 * The outbound worker is a process of its own (ROLE=worker) killed with SIGKILL in the middle of
 * a batch; a new one finishes the batch. Every reply must reach Telegram, and none twice.
 */

const CHATS = 60;
const REPLIES_PER_CHAT = 2;
const TOTAL = CHATS * REPLIES_PER_CHAT;

describe('outbound worker crash', () => {
  let api: TestApi;
  let telegram: TelegramBotApiStandIn;
  let admin: ApiClient;
  const workers = new WorkerProcesses(() => api);

  beforeAll(async () => {
    telegram = await startTelegramBotApi();
    // A web-only app: the only sender is the worker process this test kills.
    api = await startTestApi({ env: { ROLE: 'web', TELEGRAM_API_ROOT: telegram.apiRoot } });
    admin = await api.as('admin');
  }, 60_000);

  afterAll(async () => {
    workers.killAll();
    await api?.close();
    await telegram?.close();
  });

  it('should send every queued reply exactly once after the worker is killed mid-batch', async () => {
    const channel = await admin.post('/channels', {
      type: 'telegram',
      name: 'Crash bot',
      token: `${telegram.token}`,
      ratePerSecond: 40,
    });
    expect(channel.status).toBe(201);
    const secret = (await api.app.services.channels.get(channel.body.id))!.secrets.webhookSecret!;

    const conversationIds: string[] = [];
    for (let chat = 0; chat < CHATS; chat++) {
      const chatId = 700_000 + chat;
      const update = {
        update_id: 9000 + chat,
        message: {
          message_id: 1,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: 'private', first_name: `Клиент ${chat}` },
          from: { id: chatId, is_bot: false, first_name: `Клиент ${chat}` },
          text: 'Здравствуйте',
        },
      };
      const response = await fetch(`${api.baseUrl}/hooks/telegram/${channel.body.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify(update),
      });
      expect(response.status).toBe(200);
    }
    const conversations = await admin.get('/conversations?limit=200');
    for (const conversation of conversations.body.items) conversationIds.push(conversation.id);
    expect(conversationIds).toHaveLength(CHATS);

    for (let round = 0; round < REPLIES_PER_CHAT; round++) {
      for (const [index, conversationId] of conversationIds.entries()) {
        const reply = await admin.post(`/conversations/${conversationId}/messages`, {
          text: `ответ ${round}-${index}`,
        });
        expect(reply.status).toBe(202);
      }
    }

    const first = workers.start({ TELEGRAM_API_ROOT: telegram.apiRoot });
    // A cold worker start under tsx takes tens of seconds on a busy 2-core machine (CI runs other suites beside it).
    await waitUntil(
      'a third of the batch to leave',
      () => (telegram.sent().length >= TOTAL / 3 ? true : undefined),
      90_000,
    );
    // Kill it while a send is in flight: the provider got the request, we never got the answer.
    const held = telegram.holdNextSend();
    await held.arrived;
    first.kill('SIGKILL');
    await once(first, 'exit');
    await held.abandoned;
    held.release();
    const sentBeforeRestart = telegram.sent().length;
    expect(sentBeforeRestart).toBeLessThan(TOTAL);

    workers.start({ TELEGRAM_API_ROOT: telegram.apiRoot });
    // The killed worker's job is given back once its lock expires (10 s), then sent by the new one.
    await waitUntil(
      'every reply to reach Telegram',
      () => (telegram.sent().length >= TOTAL ? true : undefined),
      90_000,
    );
    const stored = await waitUntil('every reply to be marked sent', async () => {
      const rows = await api.db
        .collection('messages')
        .find({ direction: 'out' }, { projection: { status: 1 } })
        .toArray();
      return rows.length === TOTAL && rows.every((row) => row.status === 'sent') ? rows : undefined;
    });
    expect(stored).toHaveLength(TOTAL);

    // A little longer: a duplicate would show up now if a stalled job were replayed.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const texts = telegram.sent().map((record) => record.text);
    expect(texts).toHaveLength(TOTAL);
    expect(new Set(texts).size).toBe(TOTAL);
  }, 300_000);
});
