import { randomBytes, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/free-port.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { newTeamWithChannel, visitorWrites } from '../api/inbox-fixture.js';
import { startTelegramBotApi, type TelegramBotApiStandIn } from '../stand-ins/telegram-bot-api.js';
import {
  GRAPH_VERSION,
  messagePayload,
  signedWebhook,
  startWhatsappGraphApi,
  whatsappMessage,
  type WhatsappGraphApi,
} from '../stand-ins/whatsapp-graph-api.js';
import { waitUntil } from '../wait-until.js';

/**
 * Opt-out on the chat channels through the running app: STOP / СТОП and START / СТАРТ written on
 * Telegram and WhatsApp (documented update and webhook payloads posted to the app), and a Telegram
 * person blocking and unblocking the bot (my_chat_member, https://core.telegram.org/bots/api#chatmemberupdated),
 * read back through the REST API: the contact's consent, the note on the timeline, and replies
 * refused or sent to the providers' stand-ins.
 */

interface Chat {
  /** Where the person's messages go in, as the provider would post them. */
  write(text: string): Promise<void>;
  conversationId: string;
  contactId: string;
  /** What the app sent this person through the provider's stand-in. */
  received(): string[];
}

interface Note {
  kind: string;
  note: { text: string; kind: string; meta?: Record<string, unknown> };
}

describe('consent keywords on chat channels', () => {
  let api: TestApi;
  let admin: ApiClient;
  let telegram: TelegramBotApiStandIn;
  let graph: WhatsappGraphApi;
  let bot: { id: string; secret: string };
  let whatsapp: { id: string; hookPath: string; appSecret: string; phoneNumberId: string };
  let nextUpdateId = randomInt(1_000_000, 2_000_000);
  let nextMessageId = randomInt(1_000, 100_000);

  beforeAll(async () => {
    telegram = await startTelegramBotApi();
    const graphPort = await freePort();
    api = await startTestApi({
      env: {
        TELEGRAM_API_ROOT: telegram.apiRoot,
        WHATSAPP_GRAPH_URL: `http://127.0.0.1:${graphPort}/${GRAPH_VERSION}`,
        // A Redis database of the suite's own, so no other suite's workers take this app's jobs.
        REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}`,
      },
    });
    admin = await api.as('admin');

    const secret = randomBytes(18).toString('base64url');
    const createdBot = await admin.post('/channels', {
      type: 'telegram',
      name: `Bot ${randomBytes(3).toString('hex')}`,
      token: telegram.token,
      webhookSecret: secret,
    });
    expect(createdBot.status).toBe(201);
    bot = { id: createdBot.body.id, secret };

    const fields = {
      phoneNumberId: String(randomInt(10 ** 13, 10 ** 14)),
      accessToken: `EAAG${randomBytes(24).toString('base64url')}`,
      appSecret: randomBytes(16).toString('hex'),
      verifyToken: randomBytes(12).toString('base64url'),
    };
    const createdNumber = await admin.post('/channels', { type: 'whatsapp', name: 'Sales', ...fields });
    expect(createdNumber.status).toBe(201);
    whatsapp = { id: createdNumber.body.id, hookPath: new URL(createdNumber.body.webhookUrl).pathname, ...fields };
    graph = await startWhatsappGraphApi({ ...fields, port: graphPort });
  });

  afterAll(async () => {
    await api?.close();
    await graph?.close();
    await telegram?.close();
  });

  async function postOk(path: string, init: RequestInit): Promise<void> {
    const response = await fetch(`${api.baseUrl}${path}`, { method: 'POST', ...init });
    expect(response.status, await response.clone().text()).toBe(200);
  }

  function postTelegram(update: Record<string, unknown>): Promise<void> {
    return postOk(`/hooks/telegram/${bot.id}`, {
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': bot.secret },
      body: JSON.stringify({ update_id: nextUpdateId++, ...update }),
    });
  }

  async function conversationOf(accountId: string, chatId: string): Promise<{ id: string; contactId: string }> {
    const conversation = await waitUntil(
      'the conversation',
      async () =>
        (await api.db
          .collection('conversations')
          .findOne({ channelAccountId: new Types.ObjectId(accountId), chatId })) ?? undefined,
    );
    return { id: conversation._id.toHexString(), contactId: String(conversation.contactId) };
  }

  /** A Telegram person in a private chat with the bot who has written once. */
  async function telegramChat(): Promise<Chat & { block(status: 'kicked' | 'member'): Promise<void> }> {
    const chatId = randomInt(100_000_000, 999_999_999);
    const from = {
      id: chatId,
      is_bot: false,
      first_name: `Test${randomBytes(3).toString('hex')}`,
      language_code: 'ru',
    };
    const chat = { id: chatId, first_name: from.first_name, type: 'private' };
    const write = (text: string) =>
      postTelegram({
        message: { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), from, chat, text },
      });
    await write('Здравствуйте, сколько стоит дом?');
    const conversation = await conversationOf(bot.id, String(chatId));
    const botUser = { id: Number(telegram.token.split(':')[0]), is_bot: true, first_name: 'Stand-in Bot' };
    return {
      write,
      conversationId: conversation.id,
      contactId: conversation.contactId,
      received: () =>
        telegram
          .sent()
          .filter((message) => message.chatId === String(chatId))
          .map((message) => message.text ?? ''),
      block: (status) =>
        postTelegram({
          my_chat_member: {
            chat,
            from,
            date: Math.floor(Date.now() / 1000),
            old_chat_member: { status: status === 'kicked' ? 'member' : 'kicked', user: botUser },
            new_chat_member: { status, user: botUser, ...(status === 'kicked' ? { until_date: 0 } : {}) },
          },
        }),
    };
  }

  /** A WhatsApp person who has written once (within the 24-hour window from then on). */
  async function whatsappChat(): Promise<Chat> {
    const sender = { waId: `79${randomInt(10 ** 8, 10 ** 9)}`, name: `Клиент ${randomBytes(3).toString('hex')}` };
    const write = async (text: string) => {
      const request = signedWebhook(
        whatsapp.appSecret,
        messagePayload(whatsapp.phoneNumberId, sender, whatsappMessage.text(text)),
      );
      await postOk(whatsapp.hookPath, {
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': String(request.headers['x-hub-signature-256']),
        },
        body: request.rawBody,
      });
    };
    await write('Добрый день! Нужна консультация');
    const conversation = await conversationOf(whatsapp.id, sender.waId);
    return {
      write,
      conversationId: conversation.id,
      contactId: conversation.contactId,
      received: () =>
        graph
          .sent()
          .filter((message) => message.chatId === sender.waId)
          .map((message) => message.text ?? ''),
    };
  }

  async function consentOf(contactId: string, channel: string) {
    const contact = await admin.get(`/contacts/${contactId}`);
    expect(contact.status).toBe(200);
    return contact.body.consent[channel] as { status: string; at: string } | undefined;
  }

  async function consentNotes(contactId: string): Promise<Note[]> {
    const timeline = await admin.get(`/contacts/${contactId}/timeline?limit=100`);
    expect(timeline.status).toBe(200);
    return timeline.body.items.filter(
      (item: Note) => item.kind === 'note' && item.note.meta?.event === 'contact.consent',
    );
  }

  async function replyAndWaitSent(chat: Chat, text: string): Promise<void> {
    const queued = await admin.post(`/conversations/${chat.conversationId}/messages`, { text });
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    await waitUntil(`“${text}” to reach the provider`, () => (chat.received().includes(text) ? true : undefined));
  }

  for (const channel of ['telegram', 'whatsapp'] as const) {
    for (const [stop, start] of [
      ['STOP', 'START'],
      ['СТОП', 'старт'],
    ] as const) {
      it(`should opt a ${channel} person out with ${stop}, refuse a later reply with a clear 409, and opt them back in with ${start}`, async () => {
        const chat = channel === 'telegram' ? await telegramChat() : await whatsappChat();
        await chat.write(` ${stop.toLowerCase()}! `);

        expect(await consentOf(chat.contactId, channel)).toMatchObject({ status: 'opted-out' });
        const refused = await admin.post(`/conversations/${chat.conversationId}/messages`, { text: 'Скидка 20%!' });
        expect(refused.status).toBe(409);
        expect(refused.body.error).toMatchObject({ code: 'conflict', details: { reason: 'opted_out' } });
        expect(refused.body.error.message).toMatch(new RegExp(`opted out of ${channel}.*STOP.*START`, 'i'));
        const [note, ...more] = await consentNotes(chat.contactId);
        expect(more).toEqual([]);
        expect(note!.note).toMatchObject({
          kind: 'system',
          text: expect.stringMatching(new RegExp(`^Отписался от (Telegram|WhatsApp) ответом «${stop}».* / Opted out`)),
          meta: { channel, consent: 'opted-out', via: 'keyword', keyword: stop },
        });
        // The keyword is on the conversation, but it is not a question waiting for an answer.
        const conversation = await admin.get(`/conversations/${chat.conversationId}`);
        expect(conversation.body.unreadCount).toBe(1);
        const messages = await admin.get(`/conversations/${chat.conversationId}/messages?limit=10`);
        expect(messages.body.items.map((message: { content: { text?: string } }) => message.content.text)).toContain(
          ` ${stop.toLowerCase()}! `,
        );

        await chat.write(start);
        expect(await consentOf(chat.contactId, channel)).toMatchObject({ status: 'opted-in' });
        expect(await consentNotes(chat.contactId)).toHaveLength(2);
        await replyAndWaitSent(chat, 'Рады, что вы снова с нами');
        expect(chat.received()).toEqual(['Рады, что вы снова с нами']);
      });
    }
  }

  it('should open WhatsApp’s 24-hour window with a START, so the welcome back needs no template', async () => {
    const chat = await whatsappChat();
    await chat.write('STOP');
    // Two days pass without a word from the person.
    await api.db
      .collection('conversations')
      .updateOne(
        { _id: new Types.ObjectId(chat.conversationId) },
        { $set: { lastInboundAt: new Date(Date.now() - 48 * 3600_000) } },
      );
    await chat.write('START');
    await replyAndWaitSent(chat, 'С возвращением!');
  });

  it('should opt a site visitor out with ОТПИСАТЬСЯ in the chat widget', async () => {
    const { channelId } = await newTeamWithChannel(api);
    const { conversation, visitorId } = await visitorWrites(api, channelId, 'Здравствуйте');
    await visitorWrites(api, channelId, 'Отписаться', visitorId);
    expect(await consentOf(conversation.contactId, 'webchat')).toMatchObject({ status: 'opted-out' });
    const refused = await admin.post(`/conversations/${conversation.id}/messages`, { text: 'Акция!' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toMatchObject({ reason: 'opted_out' });
  });

  it('should treat a keyword inside a sentence as an ordinary message', async () => {
    const chat = await telegramChat();
    await chat.write('Стоп, а сколько стоит фундамент?');
    expect(await consentOf(chat.contactId, 'telegram')).toBeUndefined();
    await replyAndWaitSent(chat, 'От 300 000 ₽');
  });

  it('should opt a Telegram person out when they block the bot, and back in when they unblock it', async () => {
    const chat = await telegramChat();
    const heard: unknown[] = [];
    api.app.services.events.on('contact.consent', (event) => {
      if (event.contactId === chat.contactId) heard.push(event);
    });
    await chat.block('kicked');
    expect(await consentOf(chat.contactId, 'telegram')).toMatchObject({ status: 'opted-out' });
    expect((await admin.get(`/conversations/${chat.conversationId}`)).body.unreachable).toBe(true);
    expect((await admin.post(`/conversations/${chat.conversationId}/messages`, { text: 'Алло?' })).status).toBe(409);
    expect((await consentNotes(chat.contactId)).map((item) => item.note.meta)).toEqual([
      expect.objectContaining({ via: 'block', consent: 'opted-out' }),
    ]);

    await chat.block('member');
    expect(await consentOf(chat.contactId, 'telegram')).toMatchObject({ status: 'opted-in' });
    expect((await admin.get(`/conversations/${chat.conversationId}`)).body.unreachable).toBe(false);
    await replyAndWaitSent(chat, 'С возвращением!');
    // What the broadcasts count opt-outs by.
    expect(heard).toEqual([
      expect.objectContaining({
        channel: 'telegram',
        status: 'opted-out',
        via: 'block',
        conversationId: chat.conversationId,
      }),
      expect.objectContaining({ channel: 'telegram', status: 'opted-in', via: 'block' }),
    ]);
  });

  it('should keep a STOP written before a block when the person unblocks the bot', async () => {
    const chat = await telegramChat();
    await chat.write('СТОП');
    await chat.block('kicked');
    await chat.block('member');
    expect(await consentOf(chat.contactId, 'telegram')).toMatchObject({ status: 'opted-out' });
    const refused = await admin.post(`/conversations/${chat.conversationId}/messages`, { text: 'Акция!' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toMatchObject({ reason: 'opted_out' });
  });
});
