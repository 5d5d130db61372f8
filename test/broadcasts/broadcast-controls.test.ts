import { randomBytes, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/free-port.js';
import { startTestApi, type ApiClient, type ApiResponse, type TestApi } from '../api/api-harness.js';
import { inboxSocket, recordEvents } from '../api/inbox-fixture.js';
import { startSmtpCapture, type SmtpCapture } from '../stand-ins/smtp-capture.js';
import { startTelegramBotApi, type TelegramBotApiStandIn } from '../stand-ins/telegram-bot-api.js';
import { GRAPH_VERSION, startWhatsappGraphApi, type WhatsappGraphApi } from '../stand-ins/whatsapp-graph-api.js';
import { waitUntil } from '../wait-until.js';
import {
  conversationWith,
  insertContacts,
  maxInWindow,
  randomTag,
  tagSegment,
  uniquePhone,
  type ContactReach,
} from './broadcast-fixture.js';

/**
 * The broadcast API in one app (web and worker roles) against the Telegram, WhatsApp and SMTP
 * stand-ins: who may launch, the WhatsApp window, pause and resume, cancel, the frequency cap,
 * replies, e-mail with its unsubscribe link.
 */
describe('broadcasts', () => {
  let api: TestApi;
  let admin: ApiClient;
  let marketer: ApiClient;
  let telegram: TelegramBotApiStandIn;
  let whatsapp: WhatsappGraphApi;
  let smtp: SmtpCapture;
  const accounts = { telegram: '', whatsapp: '', email: '' };
  let telegramSecret = '';
  const sockets: Socket[] = [];

  beforeAll(async () => {
    telegram = await startTelegramBotApi();
    const graphPort = await freePort();
    api = await startTestApi({
      env: {
        TELEGRAM_API_ROOT: telegram.apiRoot,
        WHATSAPP_GRAPH_URL: `http://127.0.0.1:${graphPort}/${GRAPH_VERSION}`,
        // A Redis database of its own: no other suite's workers take this app's jobs.
        REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}`,
      },
    });
    admin = await api.as('admin');
    marketer = await api.as('marketer');
    const bot = await admin.post('/channels', {
      type: 'telegram',
      name: 'Рассылки',
      token: telegram.token,
      ratePerSecond: 10,
    });
    expect(bot.status, JSON.stringify(bot.body)).toBe(201);
    accounts.telegram = bot.body.id;
    telegramSecret = (await api.app.services.channels.get(bot.body.id))!.secrets.webhookSecret!;
    const line = {
      phoneNumberId: String(randomInt(10 ** 13, 10 ** 14)),
      accessToken: `EAAG${randomBytes(24).toString('base64url')}`,
      appSecret: randomBytes(16).toString('hex'),
      verifyToken: randomBytes(12).toString('base64url'),
    };
    whatsapp = await startWhatsappGraphApi({ ...line, port: graphPort });
    const wa = await admin.post('/channels', { type: 'whatsapp', name: 'WhatsApp', ...line, ratePerSecond: 20 });
    expect(wa.status, JSON.stringify(wa.body)).toBe(201);
    accounts.whatsapp = wa.body.id;
    smtp = await startSmtpCapture({ username: 'news@eco.test', password: 'smtp-secret' });
    const mail = await admin.post('/channels', {
      type: 'email',
      name: 'ЭкоДом',
      address: 'news@eco.test',
      // Nothing is read in this suite: the mailbox sync fails against a closed port and retries quietly.
      imapHost: '127.0.0.1',
      imapPort: await freePort(),
      imapSecure: false,
      smtpHost: smtp.host,
      smtpPort: smtp.port,
      smtpSecure: false,
      username: 'news@eco.test',
      password: 'smtp-secret',
      ratePerSecond: 20,
    });
    expect(mail.status, JSON.stringify(mail.body)).toBe(201);
    accounts.email = mail.body.id;
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await api?.close();
    await telegram?.close();
    await whatsapp?.close();
    await smtp?.close();
  });

  let nextUser = randomInt(10_000_000, 20_000_000);
  const telegramReach = (count: number): ContactReach[] =>
    Array.from({ length: count }, () => ({ telegram: { accountId: accounts.telegram, userId: nextUser++ } }));

  /** A segment of new contacts reachable as given; answers its id and the contacts' ids. */
  async function audience(reaches: ContactReach[]): Promise<{ segmentId: string; contactIds: Types.ObjectId[] }> {
    const tag = randomTag();
    const contactIds = await insertContacts(api.db, tag, reaches);
    return { segmentId: await tagSegment(api.db, tag, api.users.marketer.id), contactIds };
  }

  async function draft(body: Record<string, unknown>): Promise<string> {
    const created = await marketer.post('/broadcasts', { name: `Акция ${randomTag()}`, ...body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id;
  }

  /** The broadcast's view once it reaches `status` (the API's JSON, as the tests read it). */
  async function settled(id: string, status = 'completed'): Promise<ApiResponse['body']> {
    return waitUntil(
      `broadcast ${id} to be ${status}`,
      async () => {
        const view = await marketer.get(`/broadcasts/${id}`);
        return view.body.status === status ? view.body : undefined;
      },
      30_000,
    );
  }

  const sentTo = (chatIds: Set<string>) => telegram.sent().filter((message) => chatIds.has(message.chatId));

  it('should let a marketer launch and personalise, and refuse the same to an operator', async () => {
    const { segmentId, contactIds } = await audience(telegramReach(5));
    const operator = await api.as('operator');
    const refused = await operator.post('/broadcasts', { name: 'x', segmentId, variants: { telegram: { text: 'x' } } });
    expect(refused.status).toBe(403);
    const id = await draft({
      segmentId,
      variants: {
        telegram: {
          text: 'Здравствуйте, {{contact.name | default: друг}}! Скидка 10% до пятницы.',
          buttons: [{ text: 'Каталог', url: 'https://eco.test/catalog' }],
        },
      },
      channelOrder: ['telegram'],
    });
    expect((await operator.post(`/broadcasts/${id}/launch`)).status).toBe(403);
    expect((await operator.get(`/broadcasts/${id}`)).status).toBe(403);
    const [marketerSocket, operatorSocket] = await Promise.all([
      inboxSocket(api, marketer),
      inboxSocket(api, operator),
    ]);
    sockets.push(marketerSocket!, operatorSocket!);
    const heardByMarketer = recordEvents<{ broadcast: { id: string; status: string } }>(
      marketerSocket!,
      'broadcast.progress',
    );
    const heardByOperator = recordEvents<unknown>(operatorSocket!, 'broadcast.progress');
    const launched = await marketer.post(`/broadcasts/${id}/launch`);
    expect(launched.status, JSON.stringify(launched.body)).toBe(200);
    expect(launched.body.status).toBe('running');
    const done = await settled(id);
    // Progress reaches those who run campaigns, live, ending with the completed broadcast; never an operator.
    await waitUntil('the completed progress push', () =>
      heardByMarketer.some((push) => push.broadcast.id === id && push.broadcast.status === 'completed')
        ? true
        : undefined,
    );
    expect(heardByOperator).toEqual([]);
    expect(done.counts).toMatchObject({ audience: 5, planned: 5, queued: 5, sent: 5, skipped: 0 });
    expect(done.countsByChannel.telegram).toMatchObject({ planned: 5, sent: 5 });

    const recipients = await marketer.get(`/broadcasts/${id}/recipients?status=sent`);
    expect(recipients.body.items).toHaveLength(5);
    const chats = new Set<string>(
      (
        await api.db
          .collection('broadcast_recipients')
          .find({ broadcastId: new Types.ObjectId(id) })
          .toArray()
      ).map((row) => row.chatId),
    );
    const texts = sentTo(chats).map((message) => message.text);
    expect(texts).toHaveLength(5);
    // The first contact of a batch has no name (see insertContacts): the fallback stands in.
    expect(texts).toContain('Здравствуйте, друг! Скидка 10% до пятницы.');
    expect(texts).toContain('Здравствуйте, Клиент 1! Скидка 10% до пятницы.');
    expect(sentTo(chats)[0]!.buttons).toEqual(['Каталог']);
    const message = await api.db.collection('messages').findOne({ contactId: contactIds[1] });
    expect(message).toMatchObject({ broadcastId: new Types.ObjectId(id), author: { kind: 'system' } });
  }, 40_000);

  it('should send WhatsApp free text inside the 24-hour window, the template outside it, and refuse a launch without a template', async () => {
    const inside = uniquePhone();
    const outside = uniquePhone();
    const { segmentId, contactIds } = await audience([
      { whatsapp: { accountId: accounts.whatsapp, phone: inside } },
      { whatsapp: { accountId: accounts.whatsapp, phone: outside } },
    ]);
    await conversationWith(api.db, {
      contactId: contactIds[0]!,
      accountId: accounts.whatsapp,
      channel: 'whatsapp',
      chatId: inside.slice(1),
      lastInboundAt: new Date(Date.now() - 3600_000),
    });
    await conversationWith(api.db, {
      contactId: contactIds[1]!,
      accountId: accounts.whatsapp,
      channel: 'whatsapp',
      chatId: outside.slice(1),
      lastInboundAt: new Date(Date.now() - 30 * 3600_000),
    });

    const textOnly = await draft({
      segmentId,
      variants: { whatsapp: { text: 'Новая акция!' } },
      channelOrder: ['whatsapp'],
    });
    const refused = await marketer.post(`/broadcasts/${textOnly}/launch`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('whatsapp_template_required');
    expect(refused.body.error.details).toEqual({ outsideWindow: 1 });
    expect(refused.body.error.message).toMatch(/^1 recipients have not written on WhatsApp in the last 24 hours/);
    expect((await marketer.get(`/broadcasts/${textOnly}`)).body.status).toBe('draft');

    const both = await draft({
      segmentId,
      variants: {
        whatsapp: {
          text: 'Новая акция, {{contact.name | default: друг}}!',
          template: { name: 'promo_autumn', language: 'ru', parameters: ['{{contact.name | default: друг}}'] },
        },
      },
      channelOrder: ['whatsapp'],
    });
    expect((await marketer.post(`/broadcasts/${both}/launch`)).status).toBe(200);
    await settled(both);
    const byChat = new Map(whatsapp.sent().map((record) => [record.chatId, record]));
    expect(byChat.get(inside.slice(1))).toMatchObject({ text: 'Новая акция, друг!' });
    expect(byChat.get(inside.slice(1))?.template).toBeUndefined();
    expect(byChat.get(outside.slice(1))).toMatchObject({ template: 'promo_autumn' });
  }, 40_000);

  it("should never send faster than the account's limit", async () => {
    // Low enough to bind even on a busy machine: the pipeline itself is faster than 3 a second.
    const limited = await admin.patch(`/channels/${accounts.telegram}`, { ratePerSecond: 3 });
    expect(limited.status, JSON.stringify(limited.body)).toBe(200);
    try {
      const { segmentId } = await audience(telegramReach(24));
      const id = await draft({
        segmentId,
        variants: { telegram: { text: 'Ровно три в секунду' } },
        channelOrder: ['telegram'],
      });
      expect((await marketer.post(`/broadcasts/${id}/launch`)).status).toBe(200);
      await settled(id);
      const times = telegram
        .sent()
        .filter((message) => message.text === 'Ровно три в секунду')
        .map((message) => message.at);
      expect(times).toHaveLength(24);
      expect(maxInWindow(times)).toBeLessThanOrEqual(3);
      // The limit was what held it back, not the machine.
      expect(maxInWindow(times)).toBeGreaterThanOrEqual(2);
    } finally {
      await admin.patch(`/channels/${accounts.telegram}`, { ratePerSecond: 10 });
    }
  }, 60_000);

  it('should stop sending while paused and go on after resume, each recipient once', async () => {
    const { segmentId } = await audience(telegramReach(40));
    const id = await draft({
      segmentId,
      variants: { telegram: { text: 'Пауза {{contact.name}}' } },
      channelOrder: ['telegram'],
    });
    const chats = async () =>
      new Set<string>(
        (
          await api.db
            .collection('broadcast_recipients')
            .find({ broadcastId: new Types.ObjectId(id) })
            .toArray()
        ).map((row) => row.chatId),
      );
    expect((await marketer.post(`/broadcasts/${id}/launch`)).status).toBe(200);
    await waitUntil('some sends', async () => (sentTo(await chats()).length >= 8 ? true : undefined));
    const paused = await marketer.post(`/broadcasts/${id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
    // What was already handed to the channel's queue (a couple of seconds' worth) still goes; then nothing more.
    const whilePaused = await waitUntil('the sends to stop', async () => {
      const before = sentTo(await chats()).length;
      await new Promise((resolve) => setTimeout(resolve, 2000));
      return sentTo(await chats()).length === before ? before : undefined;
    });
    expect(whilePaused).toBeLessThan(40);
    expect((await marketer.get(`/broadcasts/${id}`)).body.status).toBe('paused');

    expect((await marketer.post(`/broadcasts/${id}/resume`)).body.status).toBe('running');
    const done = await settled(id);
    expect(done.counts.sent).toBe(40);
    const sent = sentTo(await chats());
    expect(sent).toHaveLength(40);
    expect(new Set(sent.map((message) => message.chatId)).size).toBe(40);
  }, 40_000);

  it('should cancel: nobody not yet sent to gets it', async () => {
    const { segmentId } = await audience(telegramReach(40));
    const id = await draft({ segmentId, variants: { telegram: { text: 'Отмена' } }, channelOrder: ['telegram'] });
    expect((await marketer.post(`/broadcasts/${id}/launch`)).status).toBe(200);
    const recipients = api.db.collection('broadcast_recipients');
    await waitUntil('some sends', async () =>
      (await recipients.countDocuments({ broadcastId: new Types.ObjectId(id), status: 'sent' })) >= 5
        ? true
        : undefined,
    );
    const cancelled = await marketer.post(`/broadcasts/${id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const chats = new Set<string>(
      (await recipients.find({ broadcastId: new Types.ObjectId(id) }).toArray()).map((row) => row.chatId),
    );
    const sent = sentTo(chats).length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(sentTo(chats).length).toBe(sent);
    expect(sent).toBeLessThan(40);
    expect(await recipients.countDocuments({ broadcastId: new Types.ObjectId(id), status: 'cancelled' })).toBe(
      40 - sent,
    );
    const view = await marketer.get(`/broadcasts/${id}`);
    expect(view.body).toMatchObject({ status: 'cancelled', counts: { sent } });
    expect((await marketer.post(`/broadcasts/${id}/resume`)).status).toBe(409);
  }, 40_000);

  it('should hold a scheduled broadcast until its time, then send it', async () => {
    const { segmentId } = await audience(telegramReach(2));
    const at = new Date(Date.now() + 4000);
    const id = await draft({
      segmentId,
      variants: { telegram: { text: 'По расписанию' } },
      channelOrder: ['telegram'],
      schedule: { at: at.toISOString() },
    });
    const launched = await marketer.post(`/broadcasts/${id}/launch`);
    expect(launched.body.status).toBe('scheduled');
    const done = await settled(id);
    expect(done.counts.sent).toBe(2);
    expect(new Date(done.launchedAt).getTime()).toBeGreaterThanOrEqual(at.getTime());
    const sent = telegram.sent().filter((message) => message.text === 'По расписанию');
    expect(sent.every((message) => message.at >= at.getTime())).toBe(true);
  }, 40_000);

  it('should skip contacts who already had two marketing messages this week', async () => {
    const { segmentId } = await audience(telegramReach(3));
    for (const round of [1, 2]) {
      const id = await draft({
        segmentId,
        variants: { telegram: { text: `Письмо ${round}` } },
        channelOrder: ['telegram'],
      });
      await marketer.post(`/broadcasts/${id}/launch`);
      expect((await settled(id)).counts.sent).toBe(3);
    }
    const third = await draft({ segmentId, variants: { telegram: { text: 'Письмо 3' } }, channelOrder: ['telegram'] });
    await marketer.post(`/broadcasts/${third}/launch`);
    const done = await settled(third);
    expect(done.counts).toMatchObject({ audience: 3, planned: 3, skipped: 3, sent: 0 });
    const skipped = await marketer.get(`/broadcasts/${third}/recipients?status=skipped`);
    expect(skipped.body.items.map((row: { skipReason: string }) => row.skipReason)).toEqual([
      'frequency_cap',
      'frequency_cap',
      'frequency_cap',
    ]);
  }, 40_000);

  it('should count a reply once and skip opted-out contacts', async () => {
    const reaches = telegramReach(3);
    reaches[2]!.optedOut = ['telegram'];
    const { segmentId } = await audience(reaches);
    const id = await draft({ segmentId, variants: { telegram: { text: 'Ответьте нам' } }, channelOrder: ['telegram'] });
    await marketer.post(`/broadcasts/${id}/launch`);
    const done = await settled(id);
    expect(done.counts).toMatchObject({ audience: 3, planned: 2, skipped: 1, sent: 2 });
    const optedOut = String(reaches[2]!.telegram!.userId);
    expect(telegram.sent().some((message) => message.chatId === optedOut)).toBe(false);

    const userId = reaches[0]!.telegram!.userId;
    const write = async (text: string) => {
      const response = await fetch(`${api.baseUrl}/hooks/telegram/${accounts.telegram}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': telegramSecret },
        body: JSON.stringify({
          update_id: randomInt(1, 2 ** 31),
          message: {
            message_id: randomInt(1, 2 ** 31),
            date: Math.floor(Date.now() / 1000),
            chat: { id: userId, type: 'private', first_name: 'Клиент' },
            from: { id: userId, is_bot: false, first_name: 'Клиент' },
            text,
          },
        }),
      });
      expect(response.status).toBe(200);
    };
    // Two at once (stored in one batch, read together), then one more later: still one reply.
    await Promise.all(['Интересно!', 'Сколько стоит?'].map(write));
    const replied = await waitUntil('the reply to be counted', async () => {
      const view = await marketer.get(`/broadcasts/${id}`);
      return view.body.counts.replied > 0 ? view.body : undefined;
    });
    await write('А доставка есть?');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await marketer.get(`/broadcasts/${id}`)).body.counts.replied).toBe(1);
    expect(replied.countsByChannel.telegram.replied).toBe(1);
  }, 40_000);

  it('should send e-mail as a new mail with its subject, HTML part and one-click unsubscribe, which counts as an opt-out', async () => {
    const address = `client-${randomBytes(4).toString('hex')}@client.test`;
    const { segmentId } = await audience([{ email: address }]);
    const id = await draft({
      segmentId,
      variants: {
        email: {
          subject: 'Осенние скидки, {{contact.name | default: друг}}',
          html: '<p>Здравствуйте, <b>{{contact.name | default: друг}}</b>!</p>',
        },
      },
      channelOrder: ['email'],
    });
    await marketer.post(`/broadcasts/${id}/launch`);
    await settled(id);
    const mail = smtp.mails().find((captured) => captured.to.includes(address));
    expect(mail?.parsed.subject).toBe('Осенние скидки, друг');
    expect(mail?.parsed.html).toContain('<b>друг</b>');
    expect(mail?.parsed.text).toContain('Здравствуйте, друг!');
    const headers = mail!.raw
      .toString('utf8')
      .split(/\r?\n\r?\n/)[0]!
      .replace(/\r?\n\s+/g, ' ');
    expect(headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const link = /List-Unsubscribe: <http:\/\/[^/>]+(\/u\/[^>]+)>/.exec(headers)?.[1];
    expect(link).toBeDefined();

    // The mail program's one-click unsubscribe (RFC 8058) counts one opt-out for this broadcast.
    const unsubscribed = await fetch(`${api.baseUrl}${link}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(unsubscribed.status).toBeLessThan(300);
    const counted = await waitUntil('the opt-out to be counted', async () => {
      const view = await marketer.get(`/broadcasts/${id}`);
      return view.body.counts.optedOut > 0 ? view.body : undefined;
    });
    expect(counted.counts.optedOut).toBe(1);
    expect(counted.countsByChannel.email.optedOut).toBe(1);
  }, 40_000);
});
