import { randomBytes, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/free-port.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import {
  GRAPH_VERSION,
  messagePayload,
  randomWamid,
  signedWebhook,
  startWhatsappGraphApi,
  statusPayload,
  whatsappMessage,
  type WebhookSender,
  type WhatsappGraphApi,
} from '../stand-ins/whatsapp-graph-api.js';
import { waitUntil } from '../wait-until.js';

/**
 * The WhatsApp channel through the whole running app: signed webhooks posted the way Meta posts
 * them, replies through the API and the outbound worker to a Graph API stand-in.
 */

interface Account {
  id: string;
  phoneNumberId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  /** Path of the account's webhook, taken from the `webhookUrl` the API shows. */
  hookPath: string;
}

interface Message {
  id: string;
  direction: 'in' | 'out';
  status: string;
  externalId?: string;
  content: {
    kind: string;
    text?: string;
    payload?: string;
    media?: { kind: string; state: string; url?: string; mimeType?: string };
  };
  failure?: { code: string; reason: string };
  deliveredAt?: string;
  readAt?: string;
}

/** A sender with a valid Russian mobile number as wa_id (country code, no plus, as Meta sends it). */
function newSender(): WebhookSender {
  return { waId: `79${randomInt(10 ** 8, 10 ** 9)}`, name: `Клиент ${randomBytes(3).toString('hex')}` };
}

/** A few bytes that sniff as JPEG (SOI, a JFIF APP0 header, EOI). */
function jpegBytes(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00]),
    randomBytes(300),
    Buffer.from([0xff, 0xd9]),
  ]);
}

describe('whatsapp channel', () => {
  let api: TestApi;
  let admin: ApiClient;
  // The app is started with one Graph URL; each test listens on that port with its own stand-in.
  let graphPort: number;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    graphPort = await freePort();
    api = await startTestApi({
      env: {
        WHATSAPP_GRAPH_URL: `http://127.0.0.1:${graphPort}/${GRAPH_VERSION}`,
        // A Redis database of its own: every app on the shared one consumes the one `media-fetch`
        // queue, and another suite's app would take this app's downloads (finding no such message).
        REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}`,
      },
    });
    admin = await api.as('admin');
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await api?.close();
  });

  async function connectAccount(): Promise<Account> {
    const fields = {
      phoneNumberId: String(randomInt(10 ** 13, 10 ** 14)),
      accessToken: `EAAG${randomBytes(24).toString('base64url')}`,
      appSecret: randomBytes(16).toString('hex'),
      verifyToken: randomBytes(12).toString('base64url'),
    };
    const created = await admin.post('/channels', {
      type: 'whatsapp',
      name: `Sales ${randomBytes(3).toString('hex')}`,
      ...fields,
    });
    expect(created.status).toBe(201);
    return { id: created.body.id, hookPath: new URL(created.body.webhookUrl).pathname, ...fields };
  }

  /** An account and a Graph API stand-in that knows its number, closed after the test. */
  async function connectLine(): Promise<{ account: Account; graph: WhatsappGraphApi }> {
    const account = await connectAccount();
    const graph = await startWhatsappGraphApi({
      phoneNumberId: account.phoneNumberId,
      accessToken: account.accessToken,
      port: graphPort,
    });
    cleanups.push(() => graph.close());
    return { account, graph };
  }

  function post(account: Pick<Account, 'hookPath'>, request: ReturnType<typeof signedWebhook>): Promise<Response> {
    return fetch(`${api.baseUrl}${account.hookPath}`, {
      method: 'POST',
      headers: Object.fromEntries(
        Object.entries(request.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      ),
      body: request.rawBody,
    });
  }

  /** Posts a correctly signed webhook and expects Meta's 200. */
  async function deliver(account: Account, payload: unknown): Promise<void> {
    const response = await post(account, signedWebhook(account.appSecret, payload));
    expect(response.status, await response.clone().text()).toBe(200);
  }

  async function conversationOf(account: Account, waId: string): Promise<string> {
    const conversation = await api.db
      .collection('conversations')
      .findOne({ channelAccountId: new Types.ObjectId(account.id), chatId: waId });
    if (!conversation) throw new Error(`No conversation with ${waId} on account ${account.id}`);
    return conversation._id.toHexString();
  }

  async function messagesOf(conversationId: string): Promise<Message[]> {
    const page = await admin.get(`/conversations/${conversationId}/messages?limit=100`);
    expect(page.status).toBe(200);
    return page.body.items;
  }

  async function messageOf(conversationId: string, messageId: string): Promise<Message> {
    const found = (await messagesOf(conversationId)).find((message) => message.id === messageId);
    if (!found) throw new Error(`Message ${messageId} is not in conversation ${conversationId}`);
    return found;
  }

  function waitForStatus(conversationId: string, messageId: string, status: string): Promise<Message> {
    return waitUntil(`message ${messageId} to be ${status}`, async () => {
      const message = await messageOf(conversationId, messageId);
      return message.status === status ? message : undefined;
    });
  }

  /** A person writes first, which opens the 24-hour window; returns the conversation id. */
  async function openConversation(account: Account, sender: WebhookSender): Promise<string> {
    await deliver(account, messagePayload(account.phoneNumberId, sender, whatsappMessage.text('Здравствуйте')));
    return conversationOf(account, sender.waId);
  }

  async function reply(conversationId: string, body: unknown): Promise<Message> {
    const queued = await admin.post(`/conversations/${conversationId}/messages`, body);
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    return queued.body;
  }

  it('should answer Meta’s verification GET with the challenge and refuse a wrong verify token', async () => {
    const account = await connectAccount();
    const challenge = String(randomInt(10 ** 9, 10 ** 10));
    const url = (token: string) =>
      `${api.baseUrl}${account.hookPath}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=${challenge}`;

    const right = await fetch(url(account.verifyToken));
    expect(right.status).toBe(200);
    expect(right.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await right.text()).toBe(challenge);

    const wrong = await fetch(url(`${account.verifyToken}x`));
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).not.toContain(challenge);
  });

  it('should answer 401 to a missing or wrong signature and store nothing', async () => {
    const account = await connectAccount();
    const sender = newSender();
    const wamid = randomWamid();
    const payload = messagePayload(account.phoneNumberId, sender, whatsappMessage.text('Подделка'), wamid);
    const good = signedWebhook(account.appSecret, payload);

    const unsigned = { ...good, headers: { 'content-type': 'application/json' } };
    const otherSecret = signedWebhook(randomBytes(16).toString('hex'), payload);
    // A valid signature of another body: the bytes were changed on the way.
    const otherBody = {
      ...good,
      rawBody: signedWebhook(
        account.appSecret,
        messagePayload(account.phoneNumberId, sender, whatsappMessage.text('Изменено'), wamid),
      ).rawBody,
    };
    const notHex = { ...good, headers: { ...good.headers, 'x-hub-signature-256': 'sha256=zz' } };
    for (const request of [unsigned, otherSecret, otherBody, notHex]) {
      const response = await post(account, request);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'webhook_unauthorized' } });
    }

    expect(await api.db.collection('messages').countDocuments({ externalId: wamid })).toBe(0);
    expect(await api.db.collection('conversations').countDocuments({ chatId: sender.waId })).toBe(0);
    expect(await api.db.collection('contacts').countDocuments({ 'identities.externalId': `+${sender.waId}` })).toBe(0);
  });

  it('should make a contact with the phone and profile name of a new sender', async () => {
    const { account } = await connectLine();
    const sender = newSender();
    const conversationId = await openConversation(account, sender);

    const conversation = await admin.get(`/conversations/${conversationId}`);
    expect(conversation.body).toMatchObject({ channel: 'whatsapp', channelAccountId: account.id, unreadCount: 1 });
    const contact = await admin.get(`/contacts/${conversation.body.contactId}`);
    expect(contact.status).toBe(200);
    expect(contact.body.name).toBe(sender.name);
    expect(contact.body.phones.map((phone: { e164: string }) => phone.e164)).toEqual([`+${sender.waId}`]);
    expect(contact.body.identities).toContainEqual(expect.objectContaining({ channel: 'whatsapp' }));
    const [message] = await messagesOf(conversationId);
    expect(message).toMatchObject({
      direction: 'in',
      status: 'received',
      content: { kind: 'text', text: 'Здравствуйте' },
    });
  });

  it('should put a message from a known phone on the CRM contact instead of a duplicate', async () => {
    const { account } = await connectLine();
    const sender = newSender();
    const phone = `+${sender.waId}`;
    const crm = await admin.post('/contacts', {
      name: 'Иван Петров',
      // Typed the way a manager would, not the way WhatsApp sends it.
      phones: [`8 ${sender.waId.slice(1, 4)} ${sender.waId.slice(4, 7)}-${sender.waId.slice(7)}`],
    });
    expect(crm.status).toBe(201);

    const conversationId = await openConversation(account, sender);
    const conversation = await admin.get(`/conversations/${conversationId}`);
    expect(conversation.body.contactId).toBe(crm.body.id);
    expect(await api.db.collection('contacts').countDocuments({ 'phones.e164': phone })).toBe(1);
    const contact = await admin.get(`/contacts/${crm.body.id}`);
    // The manager's spelling of the name stays; the WhatsApp identity is linked to it.
    expect(contact.body.name).toBe('Иван Петров');
    expect(contact.body.identities).toContainEqual(
      expect.objectContaining({ channel: 'whatsapp', accountId: account.id }),
    );
  });

  it('should keep an inbound image and serve its bytes through the files API', async () => {
    const { account, graph } = await connectLine();
    const sender = newSender();
    const mediaId = String(randomInt(10 ** 13, 10 ** 14));
    const bytes = jpegBytes();
    graph.addMedia(mediaId, bytes, 'image/jpeg');
    await deliver(
      account,
      messagePayload(account.phoneNumberId, sender, whatsappMessage.image(mediaId, 'Вот так выглядит кухня')),
    );
    const conversationId = await conversationOf(account, sender.waId);

    const kept = await waitUntil('the image to be kept', async () => {
      const [message] = await messagesOf(conversationId);
      return message?.content.media?.state === 'kept' ? message : undefined;
    });
    expect(kept.content).toMatchObject({
      kind: 'media',
      caption: 'Вот так выглядит кухня',
      media: { kind: 'image', mimeType: 'image/jpeg' },
    });
    const url = kept.content.media?.url;
    expect(url).toMatch(/^\/api\/v1\/files\/[0-9a-f]{24}$/);
    const served = await fetch(`${api.baseUrl}${url}`, { headers: { cookie: admin.cookie ?? '' } });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await fetch(`${api.baseUrl}${url}`)).status).toBe(401);
  });

  it('should store a tap on a reply button as a button message with its payload and title', async () => {
    const account = await connectAccount();
    const sender = newSender();
    await deliver(
      account,
      messagePayload(
        account.phoneNumberId,
        sender,
        whatsappMessage.buttonReply('book_measurement', 'Записаться на замер', randomWamid()),
      ),
    );
    const [message] = await messagesOf(await conversationOf(account, sender.waId));
    expect(message).toMatchObject({
      direction: 'in',
      content: { kind: 'button', payload: 'book_measurement', text: 'Записаться на замер' },
    });
  });

  it('should send a reply and move it forward with sent, delivered and read statuses, never back', async () => {
    const { account, graph } = await connectLine();
    const sender = newSender();
    const conversationId = await openConversation(account, sender);
    const status = (id: string, value: 'sent' | 'delivered' | 'read') =>
      deliver(account, statusPayload(account.phoneNumberId, { id, status: value, recipientId: sender.waId }));

    const first = await reply(conversationId, { text: 'Добрый день! Когда вам удобно?' });
    const sent = await waitForStatus(conversationId, first.id, 'sent');
    expect(graph.sent()).toEqual([
      expect.objectContaining({ chatId: sender.waId, text: 'Добрый день! Когда вам удобно?' }),
    ]);
    expect(sent.externalId).toBe(graph.sent()[0]?.externalMessageId);
    const wamid = sent.externalId ?? '';

    await status(wamid, 'sent');
    expect((await messageOf(conversationId, first.id)).status).toBe('sent');
    await status(wamid, 'delivered');
    expect(await messageOf(conversationId, first.id)).toMatchObject({
      status: 'delivered',
      deliveredAt: expect.any(String),
    });
    await status(wamid, 'read');
    expect(await messageOf(conversationId, first.id)).toMatchObject({ status: 'read', readAt: expect.any(String) });

    // Meta does not promise order: a late `delivered` or `sent` after `read` changes nothing.
    const second = await reply(conversationId, { text: 'Можем приехать в субботу' });
    const secondWamid = (await waitForStatus(conversationId, second.id, 'sent')).externalId ?? '';
    await status(secondWamid, 'read');
    await status(secondWamid, 'delivered');
    await status(secondWamid, 'sent');
    expect((await messageOf(conversationId, second.id)).status).toBe('read');
    expect((await messageOf(conversationId, first.id)).status).toBe('read');
  });

  it('should show the reason of a failed status', async () => {
    const { account } = await connectLine();
    const sender = newSender();
    const conversationId = await openConversation(account, sender);
    const queued = await reply(conversationId, { text: 'Напоминаем о замере завтра' });
    const wamid = (await waitForStatus(conversationId, queued.id, 'sent')).externalId ?? '';

    await deliver(
      account,
      statusPayload(account.phoneNumberId, {
        id: wamid,
        status: 'failed',
        recipientId: sender.waId,
        error: {
          code: 131049,
          title: 'This message was not delivered to maintain healthy ecosystem engagement.',
          details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
        },
      }),
    );
    const failed = await messageOf(conversationId, queued.id);
    expect(failed.status).toBe('failed');
    expect(failed.failure?.code).toBe('131049');
    expect(failed.failure?.reason).toMatch(/healthy ecosystem engagement/);
  });

  it('should apply a status that arrives before the send was recorded once the send completes', async () => {
    const { account, graph } = await connectLine();
    const sender = newSender();
    const conversationId = await openConversation(account, sender);
    const held = graph.holdNextSend();
    const queued = await reply(conversationId, { text: 'Смета готова' });
    const wamid = await held.externalMessageId;

    // Meta has the message and reports it while our worker still waits for the answer.
    await deliver(
      account,
      statusPayload(account.phoneNumberId, { id: wamid, status: 'delivered', recipientId: sender.waId }),
    );
    const waiting = await messageOf(conversationId, queued.id);
    expect(waiting.status).toBe('sending');
    expect(waiting.externalId).toBeUndefined();

    held.release();
    const delivered = await waitForStatus(conversationId, queued.id, 'delivered');
    expect(delivered.externalId).toBe(wamid);
    expect(delivered.deliveredAt).toEqual(expect.any(String));
    expect(
      await api.db
        .collection('orphanstatuses')
        .countDocuments({ channelAccountId: new Types.ObjectId(account.id), externalId: wamid }),
    ).toBe(0);
  });

  it('should refuse free text outside the 24-hour window and send a template instead', async () => {
    const { account, graph } = await connectLine();
    const sender = newSender();
    const conversationId = await openConversation(account, sender);
    await api.db
      .collection('conversations')
      .updateOne(
        { _id: new Types.ObjectId(conversationId) },
        { $set: { lastInboundAt: new Date(Date.now() - 25 * 3600_000) } },
      );

    const refused = await admin.post(`/conversations/${conversationId}/messages`, { text: 'Вы ещё с нами?' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('outside_service_window');
    expect(refused.body.error.message).toMatch(/24 hours/);
    expect(refused.body.error.message).toMatch(/template/);

    const template = await reply(conversationId, {
      template: { name: 'measurement_reminder', language: 'ru', parameters: ['Иван', 'суббота'] },
    });
    await waitForStatus(conversationId, template.id, 'sent');
    // The refused text was never stored: only the person's message and the template.
    expect((await messagesOf(conversationId)).map((message) => message.id)).toEqual([template.id, expect.any(String)]);
    expect(graph.sent()).toHaveLength(1);
    const [sent] = graph.sent();
    expect(sent).toMatchObject({ chatId: sender.waId, template: 'measurement_reminder' });
    expect(sent?.body).toMatchObject({
      type: 'template',
      template: {
        name: 'measurement_reminder',
        language: { code: 'ru' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Иван' },
              { type: 'text', text: 'суббота' },
            ],
          },
        ],
      },
    });
  });

  it('should fail a reply Meta refuses with 131047 and say why', async () => {
    const { account, graph } = await connectLine();
    const conversationId = await openConversation(account, newSender());
    // Meta's answer when its own clock says the window closed before ours did.
    graph.failNextWith(131047, 400, {
      details:
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    });
    const queued = await reply(conversationId, { text: 'Ответ после паузы' });
    const failed = await waitForStatus(conversationId, queued.id, 'failed');
    expect(failed.failure?.code).toBe('131047');
    expect(failed.failure?.reason).toMatch(/more than 24 hours have passed/);
    expect(graph.sent()).toEqual([]);
  });

  it('should retry a reply after 130429 and send it once', async () => {
    const { account, graph } = await connectLine();
    const sender = newSender();
    const conversationId = await openConversation(account, sender);
    graph.failNextWithRateLimit(1);
    const queued = await reply(conversationId, { text: 'Отправим, когда Meta разрешит' });
    const sent = await waitForStatus(conversationId, queued.id, 'sent');
    expect(graph.sent()).toEqual([
      expect.objectContaining({ chatId: sender.waId, text: 'Отправим, когда Meta разрешит' }),
    ]);
    expect(sent.externalId).toBe(graph.sent()[0]?.externalMessageId);
  });

  it('should mark the conversation unreachable after 131026', async () => {
    const { account, graph } = await connectLine();
    const conversationId = await openConversation(account, newSender());
    graph.failNextWithBlocked();
    const queued = await reply(conversationId, { text: 'Не дойдёт' });
    const failed = await waitForStatus(conversationId, queued.id, 'failed');
    expect(failed.failure?.code).toBe('131026');
    expect((await admin.get(`/conversations/${conversationId}`)).body.unreachable).toBe(true);
    const refused = await admin.post(`/conversations/${conversationId}/messages`, { text: 'Ещё раз' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toEqual({ reason: 'unreachable' });
    expect(graph.sent()).toEqual([]);
  });

  it('should land each number’s webhooks on its own account when two numbers are connected', async () => {
    const first = await connectAccount();
    const second = await connectAccount();
    const sender = newSender();
    await deliver(first, messagePayload(first.phoneNumberId, sender, whatsappMessage.text('В первый салон')));
    await deliver(second, messagePayload(second.phoneNumberId, sender, whatsappMessage.text('Во второй салон')));
    // One Meta app posts every number's changes to the same URL: the other number's are skipped here.
    const elsewhere = randomWamid();
    await deliver(first, messagePayload(second.phoneNumberId, sender, whatsappMessage.text('Не сюда'), elsewhere));

    const firstMessages = await messagesOf(await conversationOf(first, sender.waId));
    const secondMessages = await messagesOf(await conversationOf(second, sender.waId));
    expect(firstMessages.map((message) => message.content.text)).toEqual(['В первый салон']);
    expect(secondMessages.map((message) => message.content.text)).toEqual(['Во второй салон']);
    expect(await api.db.collection('messages').countDocuments({ externalId: elsewhere })).toBe(0);
    // Each account verifies with its own app secret.
    const crossed = await post(
      first,
      signedWebhook(second.appSecret, messagePayload(first.phoneNumberId, sender, whatsappMessage.text('x'))),
    );
    expect(crossed.status).toBe(401);
  });

  it('should store a webhook delivered ten times as one message', async () => {
    const account = await connectAccount();
    const sender = newSender();
    const wamid = randomWamid();
    const request = signedWebhook(
      account.appSecret,
      messagePayload(account.phoneNumberId, sender, whatsappMessage.text('Сколько стоит?'), wamid),
    );
    // The first delivery of a new person's first message races itself: Meta retries on a slow answer.
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => post(account, request)));
    const sequential: Response[] = [];
    for (let attempt = 0; attempt < 5; attempt++) sequential.push(await post(account, request));
    expect([...concurrent, ...sequential].map((response) => response.status)).toEqual(Array(10).fill(200));

    expect(await api.db.collection('messages').countDocuments({ externalId: wamid })).toBe(1);
    expect(await api.db.collection('conversations').countDocuments({ chatId: sender.waId })).toBe(1);
    expect(await api.db.collection('contacts').countDocuments({ 'phones.e164': `+${sender.waId}` })).toBe(1);
    const conversation = await admin.get(`/conversations/${await conversationOf(account, sender.waId)}`);
    expect(conversation.body.unreadCount).toBe(1);
  });
});
