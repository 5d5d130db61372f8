import { randomBytes, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, TEST_PASSWORD, type ApiClient, type TestApi } from '../api/api-harness.js';
import { startFileGate, type FileGate } from '../stand-ins/file-gate.js';
import { startTelegramBotApi, type TelegramBotApiStandIn } from '../stand-ins/telegram-bot-api.js';
import { malformedTelegramBodies } from './fixtures/telegram-malformed-bodies.js';

/**
 * Telegram through the running app: Bot API stand-in → webhook (or long polling) → stored
 * messages, contacts and conversations read back through the REST API, and replies through the
 * REST API → per-account outbound queue → the stand-in. Payloads follow
 * https://core.telegram.org/bots/api#update and the examples of
 * https://core.telegram.org/bots/webhooks#testing-your-bot-with-updates.
 */

interface Bot {
  id: string;
  secret: string;
}

interface Person {
  chatId: number;
  name: string;
  from: Record<string, unknown>;
  chat: Record<string, unknown>;
}

describe('telegram channel', () => {
  let standIn: TelegramBotApiStandIn;
  let gate: FileGate;
  let api: TestApi;
  let admin: ApiClient;
  let manager: ApiClient;
  let nextUpdateId = randomInt(1_000_000, 2_000_000);
  let nextMessageId = randomInt(1_000, 100_000);

  beforeAll(async () => {
    standIn = await startTelegramBotApi();
    gate = await startFileGate(standIn.apiRoot);
    // A Redis database of the suite's own: queue names such as media-fetch are shared by every app
    // on one Redis, and another suite's app would otherwise take this one's jobs.
    api = await startTestApi({
      env: { TELEGRAM_API_ROOT: gate.apiRoot, REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}` },
    });
    admin = await api.as('admin');
    manager = await api.as('manager');
  });

  afterAll(async () => {
    await api?.close();
    await gate?.close();
    await standIn?.close();
  });

  async function connectBot(fields: Record<string, unknown> = {}): Promise<Bot> {
    const secret = randomBytes(18).toString('base64url');
    const created = await admin.post('/channels', {
      type: 'telegram',
      name: `Bot ${randomBytes(3).toString('hex')}`,
      token: standIn.token,
      webhookSecret: secret,
      ...fields,
    });
    expect(created.status).toBe(201);
    return { id: created.body.id, secret };
  }

  /** A private chat's person as the documented updates carry them; random so no two tests meet. */
  function newPerson(): Person {
    const chatId = randomInt(100_000_000, 999_999_999);
    const firstName = `Test${randomBytes(3).toString('hex')}`;
    const lastName = 'Lastname';
    const username = `user${chatId}`;
    return {
      chatId,
      name: `${firstName} ${lastName}`,
      from: { id: chatId, is_bot: false, first_name: firstName, last_name: lastName, username, language_code: 'en' },
      chat: { id: chatId, first_name: firstName, last_name: lastName, username, type: 'private' },
    };
  }

  function messageUpdate(person: Person, fields: Record<string, unknown>) {
    return {
      update_id: nextUpdateId++,
      message: {
        message_id: nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        from: person.from,
        chat: person.chat,
        ...fields,
      },
    };
  }

  /** What Telegram POSTs to the webhook; `secret` null sends no secret header. */
  function deliver(
    bot: Bot,
    body: unknown,
    options: { secret?: string | null; channelId?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const secret = options.secret === undefined ? bot.secret : options.secret;
    return fetch(`${api.baseUrl}/hooks/telegram/${options.channelId ?? bot.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
        ...options.headers,
      },
      body: Buffer.isBuffer(body) ? body : typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  async function deliverOk(bot: Bot, body: unknown): Promise<void> {
    const response = await deliver(bot, body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  }

  /** The contacts whose Telegram identity is this person's chat. */
  async function contactsOf(person: Person) {
    const found = await manager.get(`/contacts?q=${person.chatId}`);
    expect(found.status).toBe(200);
    return found.body.items.filter((contact: { identities: { externalId: string }[] }) =>
      contact.identities.some((identity) => identity.externalId === String(person.chatId)),
    );
  }

  async function conversationOf(person: Person) {
    const [contact, ...others] = await contactsOf(person);
    expect(others).toEqual([]);
    expect(contact).toBeDefined();
    const conversations = await manager.get(`/conversations?contactId=${contact.id}`);
    expect(conversations.status).toBe(200);
    expect(conversations.body.items).toHaveLength(1);
    // The list names its contacts, so the inbox need not open each card.
    expect(conversations.body.items[0].contactName).toBe(contact.name);
    return conversations.body.items[0];
  }

  async function messagesOf(conversationId: string) {
    const page = await manager.get(`/conversations/${conversationId}/messages?limit=200`);
    expect(page.status).toBe(200);
    return page.body.items;
  }

  async function messageById(conversationId: string, messageId: string) {
    const messages = await messagesOf(conversationId);
    return messages.find((message: { id: string }) => message.id === messageId);
  }

  /** A person who wrote once, so the bot has a conversation to answer in. */
  async function openChat(bot: Bot) {
    const person = newPerson();
    await deliverOk(bot, messageUpdate(person, { text: 'Hello, how much is a house?' }));
    return { person, conversation: await conversationOf(person) };
  }

  async function waitForStatus(conversationId: string, messageId: string, status: string, timeout = 10_000) {
    await expect
      .poll(async () => (await messageById(conversationId, messageId))?.status, { timeout, interval: 100 })
      .toBe(status);
    return messageById(conversationId, messageId);
  }

  function sentTo(person: Person) {
    return standIn.sent().filter((message) => message.chatId === String(person.chatId));
  }

  async function signedInOperator(teamIds: string[]): Promise<ApiClient> {
    const user = await api.createUser({ role: 'operator', teamIds });
    return api.login(user.email, TEST_PASSWORD);
  }

  async function newTeam(): Promise<string> {
    const team = await admin.post('/teams', { name: `Team ${randomBytes(4).toString('hex')}` });
    expect(team.status).toBe(201);
    return team.body.id;
  }

  it('should turn an inbound text into a new contact with a conversation, its timeline and its messages', async () => {
    const bot = await connectBot();
    const person = newPerson();
    await deliverOk(bot, messageUpdate(person, { text: 'Hello, how much is a house?' }));

    const [contact, ...others] = await contactsOf(person);
    expect(others).toEqual([]);
    expect(contact).toMatchObject({
      name: person.name,
      identities: [{ channel: 'telegram', accountId: bot.id, externalId: String(person.chatId) }],
      source: 'telegram',
    });
    const timeline = await manager.get(`/contacts/${contact.id}/timeline`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.items).toMatchObject([
      {
        kind: 'message',
        message: {
          direction: 'in',
          channel: 'telegram',
          content: { kind: 'text', text: 'Hello, how much is a house?' },
        },
      },
    ]);
    const conversation = await conversationOf(person);
    expect(conversation).toMatchObject({
      contactId: contact.id,
      channel: 'telegram',
      channelAccountId: bot.id,
      unreadCount: 1,
      unreachable: false,
    });
    expect(await messagesOf(conversation.id)).toMatchObject([
      {
        id: timeline.body.items[0].message.id,
        direction: 'in',
        status: 'received',
        author: { kind: 'contact', name: person.name },
        content: { kind: 'text', text: 'Hello, how much is a house?' },
      },
    ]);
  });

  it("should add the phone of a contact card a person shares about themselves to their contact, not someone else's", async () => {
    const bot = await connectBot();
    const person = newPerson();
    await deliverOk(bot, messageUpdate(person, { text: 'Здравствуйте, нужен замер окон' }));
    const phone = `7916${randomInt(1_000_000, 9_999_999)}`;
    // Someone else's card first: a friend's number is not this person's.
    await deliverOk(
      bot,
      messageUpdate(person, {
        contact: { phone_number: '79160000000', first_name: 'Друг', user_id: person.chatId + 1 },
      }),
    );
    // The bot's "share my phone" button sends the person's own card: Telegram writes the number without a +.
    await deliverOk(
      bot,
      messageUpdate(person, { contact: { phone_number: phone, first_name: 'Я', user_id: person.chatId } }),
    );
    const [contact, ...others] = await contactsOf(person);
    expect(others).toEqual([]);
    expect(contact.phones.map((entry: { e164: string }) => entry.e164)).toEqual([`+${phone}`]);
    // The same number from another channel now finds this contact.
    const byPhone = await manager.get(`/contacts?q=${encodeURIComponent(`+${phone}`)}`);
    expect(byPhone.body.items.map((found: { id: string }) => found.id)).toEqual([contact.id]);
  });

  it('should keep the payload of a /start deep link as the contact source', async () => {
    const bot = await connectBot();
    const person = newPerson();
    await deliverOk(
      bot,
      messageUpdate(person, { text: '/start src_site', entities: [{ offset: 0, length: 6, type: 'bot_command' }] }),
    );
    const [contact] = await contactsOf(person);
    expect(contact.source).toBe('telegram:src_site');
    const conversation = await conversationOf(person);
    expect(await messagesOf(conversation.id)).toMatchObject([{ content: { kind: 'text', text: '/start' } }]);
  });

  it('should fetch an inbound photo after the ack and serve its bytes only to those who may see the chat', async () => {
    const team = await newTeam();
    const bot = await connectBot({ teamIds: [team] });
    const person = newPerson();
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]),
      randomBytes(6000),
      Buffer.from([0xff, 0xd9]),
    ]);
    const fileId = `AgAC${randomBytes(16).toString('base64url')}`;
    standIn.addFile(fileId, bytes, 'image/jpeg');
    const photo = [
      { file_id: `${fileId}_thumb`, file_unique_id: 'thumb', width: 90, height: 67, file_size: 900 },
      { file_id: fileId, file_unique_id: 'full', width: 800, height: 600, file_size: bytes.length },
    ];

    const release = gate.holdDownloads();
    let messageId: string;
    let conversationId: string;
    try {
      await deliverOk(bot, messageUpdate(person, { photo, caption: 'My plot' }));
      const conversation = await conversationOf(person);
      conversationId = conversation.id;
      const [pending] = await messagesOf(conversationId);
      expect(pending).toMatchObject({
        content: { kind: 'media', caption: 'My plot', media: { kind: 'image', state: 'pending' } },
      });
      expect(pending.content.media.url).toBeUndefined();
      messageId = pending.id;
    } finally {
      release();
    }

    await expect
      .poll(async () => (await messageById(conversationId, messageId))?.content.media.state, { timeout: 10_000 })
      .toBe('kept');
    const kept = await messageById(conversationId, messageId);
    expect(kept.content.media).toMatchObject({ mimeType: 'image/jpeg', size: bytes.length });
    const url: string = kept.content.media.url;
    expect(url).toMatch(/^\/api\/v1\/files\/[0-9a-f]{24}$/);

    const download = (client: ApiClient) => fetch(`${api.baseUrl}${url}`, { headers: { cookie: client.cookie ?? '' } });
    for (const reader of [await signedInOperator([team]), manager]) {
      const response = await download(reader);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/jpeg');
      expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    }
    const outsider = await signedInOperator([await newTeam()]);
    const refused = await download(outsider);
    expect(refused.status).toBe(404);
    expect((await outsider.get(`/conversations/${conversationId}`)).status).toBe(404);
  });

  it('should store an inline button tap as a button message and answer the callback query', async () => {
    const bot = await connectBot();
    const { person, conversation } = await openChat(bot);
    const callbackId = `${randomInt(1e9, 9e9)}${randomBytes(4).toString('hex')}`;
    await deliverOk(bot, {
      update_id: nextUpdateId++,
      callback_query: {
        id: callbackId,
        from: person.from,
        chat_instance: '-8675309',
        data: 'budget_high',
        message: {
          message_id: nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: person.chat,
          text: 'What is your budget?',
          reply_markup: {
            inline_keyboard: [
              [{ text: 'Up to 5M', callback_data: 'budget_low' }],
              [{ text: 'Over 5M', callback_data: 'budget_high' }],
            ],
          },
        },
      },
    });
    const [tap] = await messagesOf(conversation.id);
    expect(tap).toMatchObject({
      direction: 'in',
      externalId: `callback:${callbackId}`,
      content: { kind: 'button', payload: 'budget_high', text: 'Over 5M' },
    });
    await expect.poll(() => standIn.answeredCallbacks()).toContain(callbackId);
  });

  it('should store an update delivered many times, one after another or all at once, exactly once', async () => {
    const bot = await connectBot();
    const person = newPerson();
    const update = messageUpdate(person, { text: 'Are you there?' });
    for (let attempt = 0; attempt < 10; attempt += 1) await deliverOk(bot, update);
    const conversation = await conversationOf(person);
    expect(await messagesOf(conversation.id)).toHaveLength(1);

    // A first message delivered ten times at once: the contact and the conversation are raced for too.
    const newcomer = newPerson();
    const burst = messageUpdate(newcomer, { text: 'Hi, first time here' });
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(bot, burst)));
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 10 }, () => 200));
    expect(await contactsOf(newcomer)).toHaveLength(1);
    const raced = await conversationOf(newcomer);
    expect(await messagesOf(raced.id)).toMatchObject([{ content: { kind: 'text', text: 'Hi, first time here' } }]);
  });

  it('should refuse a wrong or missing secret token with 401 and an unknown channel with 404, storing nothing', async () => {
    const bot = await connectBot();
    const person = newPerson();
    const update = messageUpdate(person, { text: 'Let me in' });
    for (const secret of [`${bot.secret}x`, bot.secret.slice(1), 'x', null]) {
      const response = await deliver(bot, update, { secret });
      expect(response.status).toBe(401);
    }
    // Another bot's secret does not open this one.
    const other = await connectBot();
    expect((await deliver(bot, update, { secret: other.secret })).status).toBe(401);
    for (const channelId of [new Types.ObjectId().toHexString(), 'not-a-channel']) {
      expect((await deliver(bot, update, { channelId })).status).toBe(404);
    }
    const whatsapp = await fetch(`${api.baseUrl}/hooks/whatsapp/${bot.id}`, { method: 'POST', body: '{}' });
    expect(whatsapp.status).toBe(404);
    expect(await contactsOf(person)).toEqual([]);
  });

  it('should answer 1,000 malformed bodies with 4xx and keep serving afterwards', async () => {
    const bot = await connectBot();
    const person = newPerson();
    const bodies = malformedTelegramBodies(0x7e1e, 1000, person);
    const statuses = new Map<number, number>();
    for (let start = 0; start < bodies.length; start += 10) {
      const batch = bodies.slice(start, start + 10);
      const answers = await Promise.all(
        batch.map(async (body) => {
          const response = await deliver(bot, body.bytes, { headers: body.headers });
          await response.arrayBuffer();
          return { status: response.status, kind: body.kind };
        }),
      );
      for (const answer of answers) {
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(answer.status, `a ${answer.kind} body`).toBeGreaterThanOrEqual(400);
        expect(answer.status, `a ${answer.kind} body`).toBeLessThan(500);
      }
    }
    expect([...statuses.values()].reduce((sum, count) => sum + count, 0)).toBe(1000);
    expect(await contactsOf(person)).toEqual([]);

    const health = await fetch(`${api.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    await deliverOk(bot, messageUpdate(person, { text: 'Still there?' }));
    const conversation = await conversationOf(person);
    expect(await messagesOf(conversation.id)).toMatchObject([{ content: { kind: 'text', text: 'Still there?' } }]);
  });

  it('should send a reply with buttons through the queue and mark it sent with the Telegram message id', async () => {
    const bot = await connectBot();
    const { person, conversation } = await openChat(bot);
    const buttons = [
      { id: 'house', text: 'A house' },
      { id: 'land', text: 'Just land' },
    ];
    const reply = await manager.post(`/conversations/${conversation.id}/messages`, {
      text: 'What are you looking for?',
      buttons,
    });
    expect(reply.status).toBe(202);
    expect(reply.body).toMatchObject({ status: 'queued', direction: 'out', buttons });

    const sent = await waitForStatus(conversation.id, reply.body.id, 'sent');
    const [received, ...more] = sentTo(person);
    expect(more).toEqual([]);
    expect(received).toMatchObject({
      method: 'sendmessage',
      text: 'What are you looking for?',
      buttons: ['A house', 'Just land'],
    });
    expect(sent).toMatchObject({ status: 'sent', externalId: `${person.chatId}:${received?.messageId}` });
    expect(sent.sentAt).toEqual(expect.any(String));
  });

  it('should wait out a 429 retry_after and then send the reply once', async () => {
    const bot = await connectBot();
    const { person, conversation } = await openChat(bot);
    standIn.failNextWithRateLimit(2);
    const started = Date.now();
    const reply = await manager.post(`/conversations/${conversation.id}/messages`, { text: 'After the flood' });
    expect(reply.status).toBe(202);

    const sent = await waitForStatus(conversation.id, reply.body.id, 'sent');
    const received = sentTo(person);
    expect(received).toHaveLength(1);
    expect(received[0]?.text).toBe('After the flood');
    expect(received[0]!.at - started).toBeGreaterThanOrEqual(2000);
    expect(sent.externalId).toBe(`${person.chatId}:${received[0]?.messageId}`);
    // Nothing more trickles out later.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sentTo(person)).toHaveLength(1);
  });

  it('should fail a reply to a person who blocked the bot, refuse further replies and recover when they write', async () => {
    const bot = await connectBot();
    const { person, conversation } = await openChat(bot);
    standIn.failNextWithBlocked();
    const reply = await manager.post(`/conversations/${conversation.id}/messages`, { text: 'Are you still there?' });
    expect(reply.status).toBe(202);

    const failed = await waitForStatus(conversation.id, reply.body.id, 'failed');
    expect(failed.failure).toEqual({ code: '403', reason: expect.stringMatching(/blocked/) });
    expect((await manager.get(`/conversations/${conversation.id}`)).body.unreachable).toBe(true);
    const refused = await manager.post(`/conversations/${conversation.id}/messages`, { text: 'Hello?' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/blocked/);
    expect(sentTo(person)).toEqual([]);

    await deliverOk(bot, messageUpdate(person, { text: 'I unblocked you' }));
    expect((await manager.get(`/conversations/${conversation.id}`)).body.unreachable).toBe(false);
    const again = await manager.post(`/conversations/${conversation.id}/messages`, { text: 'Welcome back' });
    expect(again.status).toBe(202);
    await waitForStatus(conversation.id, again.body.id, 'sent');
    expect(sentTo(person).map((message) => message.text)).toEqual(['Welcome back']);
  });

  it('should mark the conversation unreachable when my_chat_member says the bot was kicked', async () => {
    const bot = await connectBot();
    const { person, conversation } = await openChat(bot);
    const botUser = { id: Number(standIn.token.split(':')[0]), is_bot: true, first_name: 'Stand-in Bot' };
    await deliverOk(bot, {
      update_id: nextUpdateId++,
      my_chat_member: {
        chat: person.chat,
        from: person.from,
        date: Math.floor(Date.now() / 1000),
        old_chat_member: { status: 'member', user: botUser },
        new_chat_member: { status: 'kicked', user: botUser, until_date: 0 },
      },
    });
    expect((await manager.get(`/conversations/${conversation.id}`)).body.unreachable).toBe(true);
    const refused = await manager.post(`/conversations/${conversation.id}/messages`, { text: 'Hello?' });
    expect(refused.status).toBe(409);
  });

  it('should keep a second between replies to one chat but not hold back replies to different chats', async () => {
    const bot = await connectBot();
    const { person, conversation } = await openChat(bot);
    const texts = ['One', 'Two', 'Three'];
    const replies = [];
    for (const text of texts) replies.push(await manager.post(`/conversations/${conversation.id}/messages`, { text }));
    for (const reply of replies) await waitForStatus(conversation.id, reply.body.id, 'sent');
    const oneChat = sentTo(person);
    expect(oneChat.map((message) => message.text)).toEqual(texts);
    for (let i = 1; i < oneChat.length; i += 1) {
      expect(oneChat[i]!.at - oneChat[i - 1]!.at).toBeGreaterThanOrEqual(900);
    }

    const chats = await Promise.all([openChat(bot), openChat(bot), openChat(bot)]);
    const started = Date.now();
    const fanOut = await Promise.all(
      chats.map((chat) => manager.post(`/conversations/${chat.conversation.id}/messages`, { text: 'Hello' })),
    );
    for (const [index, reply] of fanOut.entries()) {
      await waitForStatus(chats[index]!.conversation.id, reply.body.id, 'sent');
    }
    const times = chats.map((chat) => sentTo(chat.person)[0]!.at);
    expect(Math.max(...times) - started).toBeLessThan(900);
  });

  it('should receive updates by long polling for a bot set to polling mode', async () => {
    const bot = await connectBot({ mode: 'polling' });
    try {
      const person = newPerson();
      standIn.pushUpdate(messageUpdate(person, { text: 'Polled hello' }));
      await expect.poll(async () => (await contactsOf(person)).length, { timeout: 15_000, interval: 200 }).toBe(1);
      const conversation = await conversationOf(person);
      expect(conversation.channelAccountId).toBe(bot.id);
      expect(await messagesOf(conversation.id)).toMatchObject([{ content: { kind: 'text', text: 'Polled hello' } }]);
      await expect.poll(() => standIn.pendingUpdates(), { timeout: 5_000 }).toBe(0);
      expect(standIn.webhook().url).toBe('');
    } finally {
      expect((await admin.delete(`/channels/${bot.id}`)).status).toBe(204);
    }
  });

  it("should keep an account's replies within its ratePerSecond", async () => {
    const bot = await connectBot({ ratePerSecond: 5 });
    const chats = await Promise.all(Array.from({ length: 15 }, () => openChat(bot)));
    const replies = await Promise.all(
      chats.map((chat) => manager.post(`/conversations/${chat.conversation.id}/messages`, { text: 'Our offer' })),
    );
    for (const reply of replies) expect(reply.status).toBe(202);
    for (const [index, reply] of replies.entries()) {
      await waitForStatus(chats[index]!.conversation.id, reply.body.id, 'sent', 15_000);
    }
    const times = chats.flatMap((chat) => sentTo(chat.person).map((message) => message.at)).sort((a, b) => a - b);
    expect(times).toHaveLength(15);
    // No six sends inside any one second.
    for (let i = 5; i < times.length; i += 1) expect(times[i]! - times[i - 5]!).toBeGreaterThanOrEqual(1000);
    expect(times[14]! - times[0]!).toBeGreaterThanOrEqual(1900);
  });
});
