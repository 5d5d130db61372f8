import { randomBytes, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { vkRandomId } from '../../bot/vk/vk-random-id.js';
import { freePort } from '../../server/free-port.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import {
  startVkApi,
  vkAttachment,
  vkCallbackRequest,
  vkEvent,
  vkMessage,
  vkMessageNew,
  type VkApiStandIn,
} from '../stand-ins/vk-api.js';
import { waitUntil } from '../wait-until.js';

/**
 * VK community messages through the whole running app: Callback API events posted the way VK
 * posts them, replies through the API and the outbound worker to a VK API stand-in.
 */

interface Community {
  id: string;
  groupId: number;
  confirmationCode: string;
  accessToken: string;
  secretKey: string;
  /** Path of the account's callback URL, taken from the `webhookUrl` the API shows. */
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
    caption?: string;
    payload?: string;
    media?: { kind: string; state: string; url?: string; mimeType?: string };
  };
  failure?: { code: string; reason: string };
}

/** A few bytes that sniff as JPEG (SOI, a JFIF APP0 header, EOI). */
function jpegBytes(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00]),
    randomBytes(300),
    Buffer.from([0xff, 0xd9]),
  ]);
}

describe('vk channel', () => {
  let api: TestApi;
  let admin: ApiClient;
  // The app is started with one VK API root; each test listens on that port with its own stand-in.
  let vkPort: number;
  let nextMessageId = randomInt(1_000, 1_000_000);
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    vkPort = await freePort();
    api = await startTestApi({
      env: {
        VK_API_ROOT: `http://127.0.0.1:${vkPort}/method`,
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

  async function connectCommunity(): Promise<Community> {
    const fields = {
      groupId: randomInt(1, 10 ** 9),
      confirmationCode: randomBytes(4).toString('hex'),
      accessToken: `vk1.a.${randomBytes(48).toString('base64url')}`,
      secretKey: randomBytes(16).toString('hex'),
    };
    const created = await admin.post('/channels', {
      type: 'vk',
      name: `ВКонтакте ${randomBytes(3).toString('hex')}`,
      ...fields,
      groupId: `club${fields.groupId}`,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return { id: created.body.id, hookPath: new URL(created.body.webhookUrl).pathname, ...fields };
  }

  /** A community and a VK API stand-in that knows its token, closed after the test. */
  async function connectLine(): Promise<{ community: Community; vk: VkApiStandIn }> {
    const community = await connectCommunity();
    const vk = await startVkApi({ groupId: community.groupId, accessToken: community.accessToken, port: vkPort });
    cleanups.push(() => vk.close());
    return { community, vk };
  }

  function post(community: Pick<Community, 'hookPath'>, body: Buffer): Promise<Response> {
    return fetch(`${api.baseUrl}${community.hookPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  }

  function bodyOf(event: unknown): Buffer {
    return vkCallbackRequest(event).rawBody;
  }

  /** Posts an event with the right secret and expects VK's `ok`. */
  async function deliver(community: Community, event: unknown): Promise<void> {
    const response = await post(community, bodyOf(event));
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.text()).toBe('ok');
  }

  function textFrom(community: Community, userId: number, text: string, id = nextMessageId++): unknown {
    return vkMessageNew(community.groupId, community.secretKey, vkMessage({ id, fromId: userId, text }));
  }

  async function conversationOf(community: Community, userId: number): Promise<string> {
    const conversation = await api.db
      .collection('conversations')
      .findOne({ channelAccountId: new Types.ObjectId(community.id), chatId: String(userId) });
    if (!conversation) throw new Error(`No conversation with ${userId} in community ${community.id}`);
    return conversation._id.toHexString();
  }

  async function messagesOf(conversationId: string): Promise<Message[]> {
    const page = await admin.get(`/conversations/${conversationId}/messages?limit=100`);
    expect(page.status).toBe(200);
    return page.body.items;
  }

  function waitForStatus(conversationId: string, messageId: string, status: string): Promise<Message> {
    return waitUntil(`message ${messageId} to be ${status}`, async () => {
      const message = (await messagesOf(conversationId)).find((candidate) => candidate.id === messageId);
      return message?.status === status ? message : undefined;
    });
  }

  /** A person writes first; returns their VK id and the conversation id. */
  async function openConversation(community: Community): Promise<{ userId: number; conversationId: string }> {
    const userId = randomInt(1, 10 ** 9);
    await deliver(community, textFrom(community, userId, 'Здравствуйте'));
    return { userId, conversationId: await conversationOf(community, userId) };
  }

  async function reply(conversationId: string, body: unknown): Promise<Message> {
    const queued = await admin.post(`/conversations/${conversationId}/messages`, body);
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    return queued.body;
  }

  async function storedFrom(community: Community, userId: number): Promise<number> {
    return api.db
      .collection('conversations')
      .countDocuments({ channelAccountId: new Types.ObjectId(community.id), chatId: String(userId) });
  }

  it('should connect a community with its secrets hidden and a callback URL under /hooks/vk/', async () => {
    const community = await connectCommunity();
    expect(community.hookPath).toBe(`/hooks/vk/${community.id}`);
    const shown = await admin.get(`/channels/${community.id}`);
    expect(shown.body).toMatchObject({
      type: 'vk',
      settings: { groupId: community.groupId, confirmationCode: community.confirmationCode },
      secrets: {
        accessToken: `••••${community.accessToken.slice(-4)}`,
        secretKey: `••••${community.secretKey.slice(-4)}`,
      },
      ratePerSecond: 20,
    });
    expect(JSON.stringify(shown.body)).not.toContain(community.secretKey);

    const incomplete = await admin.post('/channels', {
      type: 'vk',
      name: 'Без ключа',
      groupId: 1,
      confirmationCode: 'a1',
    });
    expect(incomplete.status).toBe(400);
    expect(JSON.stringify(incomplete.body)).toMatch(/accessToken/);
    expect(JSON.stringify(incomplete.body)).toMatch(/secretKey/);
  });

  it('should answer the confirmation event with the confirmation code as plain text, for its own community only', async () => {
    const community = await connectCommunity();
    const confirmation = (groupId: number, secret?: string) => bodyOf(vkEvent(groupId, secret, 'confirmation'));

    for (const secret of [community.secretKey, undefined]) {
      const right = await post(community, confirmation(community.groupId, secret));
      expect(right.status).toBe(200);
      expect(right.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await right.text()).toBe(community.confirmationCode);
    }
    for (const body of [
      confirmation(community.groupId + 1, community.secretKey),
      confirmation(community.groupId, `${community.secretKey}x`),
    ]) {
      const wrong = await post(community, body);
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).not.toContain(community.confirmationCode);
    }
    expect((await fetch(`${api.baseUrl}${community.hookPath}`)).status).toBe(405);
  });

  it('should put a new message on the contact’s timeline and answer ok', async () => {
    const community = await connectCommunity();
    const userId = randomInt(1, 10 ** 9);
    await deliver(community, textFrom(community, userId, 'Сколько стоит дом 120 м²?'));

    const conversation = await admin.get(`/conversations/${await conversationOf(community, userId)}`);
    expect(conversation.body).toMatchObject({ channel: 'vk', channelAccountId: community.id, unreadCount: 1 });
    const contact = await admin.get(`/contacts/${conversation.body.contactId}`);
    expect(contact.body.identities).toEqual([
      expect.objectContaining({ channel: 'vk', accountId: community.id, externalId: String(userId) }),
    ]);
    expect(contact.body.language).toBe('ru');
    const timeline = await admin.get(`/contacts/${conversation.body.contactId}/timeline`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.items).toMatchObject([
      {
        kind: 'message',
        message: { direction: 'in', channel: 'vk', content: { kind: 'text', text: 'Сколько стоит дом 120 м²?' } },
      },
    ]);
  });

  it('should store an event delivered ten times, at once and one after another, as one message', async () => {
    const community = await connectCommunity();
    const userId = randomInt(1, 10 ** 9);
    const body = bodyOf(textFrom(community, userId, 'Повтор'));
    // VK delivers again when an answer is slow; the first delivery of a new person races itself.
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => post(community, body)));
    const sequential: Response[] = [];
    for (let attempt = 0; attempt < 5; attempt++) sequential.push(await post(community, body));
    const answers = [...concurrent, ...sequential];
    expect(answers.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(await Promise.all(answers.map((response) => response.text()))).toEqual(Array(10).fill('ok'));

    const conversationId = await conversationOf(community, userId);
    expect(await messagesOf(conversationId)).toHaveLength(1);
    expect(await storedFrom(community, userId)).toBe(1);
    const conversation = await admin.get(`/conversations/${conversationId}`);
    expect(conversation.body.unreadCount).toBe(1);
    const timeline = await admin.get(`/contacts/${conversation.body.contactId}/timeline`);
    expect(timeline.body.items).toHaveLength(1);
  });

  it('should answer 401 to a missing or wrong secret key and store nothing', async () => {
    const community = await connectCommunity();
    const other = await connectCommunity();
    const userId = randomInt(1, 10 ** 9);
    const message = vkMessage({ id: nextMessageId++, fromId: userId, text: 'Подделка' });
    for (const secret of [
      undefined,
      '',
      `${community.secretKey}x`,
      community.secretKey.toUpperCase(),
      other.secretKey,
    ]) {
      const response = await post(community, bodyOf(vkMessageNew(community.groupId, secret, message)));
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'webhook_unauthorized' } });
    }
    expect(await storedFrom(community, userId)).toBe(0);
    expect(await api.db.collection('contacts').countDocuments({ 'identities.externalId': String(userId) })).toBe(0);
  });

  it('should answer malformed bodies with 4xx, never 500, and keep serving', async () => {
    const community = await connectCommunity();
    const userId = randomInt(1, 10 ** 9);
    const { groupId, secretKey } = community;
    const event = (type: string, object: unknown) => vkEvent(groupId, secretKey, type, object);
    const message = vkMessage({ id: nextMessageId++, fromId: userId, text: 'x' });
    const raw = (text: string) => Buffer.from(text);
    const bodies: Buffer[] = [
      raw(''),
      raw('not json {'),
      raw('[]'),
      raw('null'),
      raw('"ok"'),
      raw(`{"type":"message_new","group_id":${groupId},"secret":"${secretKey}","object":{"message":`),
      raw(JSON.stringify({ secret: secretKey })),
      raw(JSON.stringify({ secret: secretKey, type: 'message_new', group_id: String(groupId) })),
      raw(JSON.stringify({ secret: [secretKey], type: 'message_new', group_id: groupId })),
      bodyOf(event('message_new', null)),
      bodyOf(event('message_new', { message: { ...message, from_id: 'me' } })),
      bodyOf(event('message_new', { message: { ...message, date: -5 } })),
      bodyOf(event('message_new', { message: { ...message, text: 42 } })),
      bodyOf(event('message_new', { message: { ...message, attachments: [{ type: 'doc', doc: { url: 5 } }] } })),
      bodyOf(event('message_new', { message: { ...message, geo: { coordinates: { latitude: 200, longitude: 0 } } } })),
      bodyOf(event('message_new', { message: { ...message, text: 'y'.repeat(1_100_000) } })),
      bodyOf(event('message_deny', {})),
      bodyOf(vkEvent(groupId + 1, secretKey, 'message_new', { message })),
      randomBytes(2048),
    ];
    for (const body of bodies) {
      const response = await post(community, body);
      const text = await response.text();
      expect(response.status, `${body.subarray(0, 120).toString()} → ${text}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${body.subarray(0, 120).toString()} → ${text}`).toBeLessThan(500);
    }
    expect(await storedFrom(community, userId)).toBe(0);

    await deliver(community, textFrom(community, userId, 'Всё ещё работаете?'));
    expect(await messagesOf(await conversationOf(community, userId))).toMatchObject([
      { content: { kind: 'text', text: 'Всё ещё работаете?' } },
    ]);
  });

  it('should answer ok to events the inbox does not keep and store nothing for them', async () => {
    const community = await connectCommunity();
    const userId = randomInt(1, 10 ** 9);
    await deliver(
      community,
      vkEvent(community.groupId, community.secretKey, 'message_typing_state', {
        state: 'typing',
        from_id: userId,
        to_id: -community.groupId,
      }),
    );
    await deliver(
      community,
      vkEvent(community.groupId, community.secretKey, 'message_allow', { user_id: userId, key: 'x' }),
    );
    await deliver(
      community,
      vkEvent(
        community.groupId,
        community.secretKey,
        'message_reply',
        vkMessage({ id: nextMessageId++, fromId: -community.groupId, peerId: userId, text: 'Наш ответ' }),
      ),
    );
    expect(await storedFrom(community, userId)).toBe(0);
  });

  it('should send a reply through messages.send with the peer_id and a random_id of its own, and mark it sent', async () => {
    const { community, vk } = await connectLine();
    const { userId, conversationId } = await openConversation(community);
    const buttons = [
      { id: 'call', text: 'Позвоните мне' },
      { id: 'later', text: 'Позже' },
    ];
    const queued = await reply(conversationId, { text: 'Когда вам удобно?', buttons });
    const sent = await waitForStatus(conversationId, queued.id, 'sent');

    expect(vk.sent()).toHaveLength(1);
    const [call] = vk.sent();
    expect(call).toMatchObject({
      peerId: String(userId),
      randomId: vkRandomId(queued.id),
      text: 'Когда вам удобно?',
      buttons: ['Позвоните мне', 'Позже'],
    });
    expect(call?.params.v).toBe('5.199');
    expect(call?.keyboard).toMatchObject({ inline: true });
    expect(sent.externalId).toBe(call?.externalMessageId);
    expect(vk.calls().map((entry) => entry.method)).toEqual(['messages.send']);

    // The random_id comes from our message id: another message gets another one.
    const second = await reply(conversationId, { text: 'Или напишите удобное время' });
    await waitForStatus(conversationId, second.id, 'sent');
    expect(vk.sent()[1]?.randomId).toBe(vkRandomId(second.id));
    expect(vk.sent()[1]?.randomId).not.toBe(call?.randomId);
  });

  it('should store a tap on a reply button as a button message with its id', async () => {
    const community = await connectCommunity();
    const userId = randomInt(1, 10 ** 9);
    const tap = vkMessage({ id: nextMessageId++, fromId: userId, text: 'Позвоните мне', payload: '{"button":"call"}' });
    await deliver(community, vkMessageNew(community.groupId, community.secretKey, tap));
    expect(await messagesOf(await conversationOf(community, userId))).toMatchObject([
      { direction: 'in', content: { kind: 'button', payload: 'call', text: 'Позвоните мне' } },
    ]);
  });

  it('should upload a file to VK and attach it to the reply', async () => {
    const { community, vk } = await connectLine();
    const { userId, conversationId } = await openConversation(community);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const uploaded = await fetch(`${api.baseUrl}/api/v1/files`, {
      method: 'POST',
      headers: {
        cookie: admin.cookie ?? '',
        'x-csrf-token': admin.csrfToken ?? '',
        'content-type': 'application/pdf',
        'x-file-name': encodeURIComponent('Смета.pdf'),
      },
      body: pdf,
    });
    expect(uploaded.status).toBe(201);
    const { id: fileId } = (await uploaded.json()) as { id: string };

    const queued = await reply(conversationId, { fileId, text: 'Смета по вашему дому' });
    await waitForStatus(conversationId, queued.id, 'sent');
    expect(vk.uploads()).toMatchObject([{ kind: 'doc', fileName: 'Смета.pdf' }]);
    expect(vk.uploads()[0]?.bytes.equals(pdf)).toBe(true);
    expect(vk.sent()).toMatchObject([
      {
        peerId: String(userId),
        text: 'Смета по вашему дому',
        mediaKind: 'doc',
        attachment: expect.stringMatching(/^doc-\d+_\d+/),
      },
    ]);
    expect(vk.calls().map((entry) => entry.method)).toEqual([
      'docs.getMessagesUploadServer',
      'docs.save',
      'messages.send',
    ]);
  });

  it('should keep an inbound photo and serve its bytes through the files API', async () => {
    const { community, vk } = await connectLine();
    const userId = randomInt(1, 10 ** 9);
    const bytes = jpegBytes();
    const photo = vkAttachment.photo(vk.addFile(bytes, 'image/jpeg'));
    const message = vkMessage({
      id: nextMessageId++,
      fromId: userId,
      text: 'Вот так выглядит кухня',
      attachments: [photo],
    });
    await deliver(community, vkMessageNew(community.groupId, community.secretKey, message));
    const conversationId = await conversationOf(community, userId);

    const kept = await waitUntil('the photo to be kept', async () => {
      const [stored] = await messagesOf(conversationId);
      return stored?.content.media?.state === 'kept' ? stored : undefined;
    });
    expect(kept.content).toMatchObject({
      kind: 'media',
      caption: 'Вот так выглядит кухня',
      media: { kind: 'image', mimeType: 'image/jpeg' },
    });
    const served = await fetch(`${api.baseUrl}${kept.content.media?.url}`, { headers: { cookie: admin.cookie ?? '' } });
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('should fail a reply VK refuses with 901 and mark the conversation unreachable', async () => {
    const { community, vk } = await connectLine();
    const { conversationId } = await openConversation(community);
    vk.failNextWithBlocked();
    const queued = await reply(conversationId, { text: 'Не дойдёт' });
    const failed = await waitForStatus(conversationId, queued.id, 'failed');
    expect(failed.failure?.code).toBe('901');
    expect(failed.failure?.reason).toMatch(/without permission/);
    expect((await admin.get(`/conversations/${conversationId}`)).body.unreachable).toBe(true);

    const refused = await admin.post(`/conversations/${conversationId}/messages`, { text: 'Ещё раз' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toEqual({ reason: 'unreachable' });
    expect(vk.sent()).toEqual([]);
  });

  it('should mark the conversation unreachable on message_deny and reachable again when the person writes', async () => {
    const community = await connectCommunity();
    const { userId, conversationId } = await openConversation(community);
    await deliver(community, vkEvent(community.groupId, community.secretKey, 'message_deny', { user_id: userId }));
    expect((await admin.get(`/conversations/${conversationId}`)).body.unreachable).toBe(true);

    await deliver(community, textFrom(community, userId, 'Я снова здесь'));
    expect((await admin.get(`/conversations/${conversationId}`)).body.unreachable).toBe(false);
  });

  it('should wait out error 6 and then send the reply once', async () => {
    const { community, vk } = await connectLine();
    const { userId, conversationId } = await openConversation(community);
    vk.failNextWithRateLimit(1);
    const queued = await reply(conversationId, { text: 'Отправим, когда VK разрешит' });
    const sent = await waitForStatus(conversationId, queued.id, 'sent');
    expect(vk.sent()).toMatchObject([{ peerId: String(userId), text: 'Отправим, когда VK разрешит' }]);
    expect(sent.externalId).toBe(vk.sent()[0]?.externalMessageId);
    const sends = vk.calls().filter((entry) => entry.method === 'messages.send');
    // The retry reuses the random_id, so had the first attempt gone out VK would not send it twice.
    expect(sends.map((entry) => entry.params.random_id)).toEqual([
      String(vkRandomId(queued.id)),
      String(vkRandomId(queued.id)),
    ]);
  });

  it('should refuse a reply longer than VK allows before storing it', async () => {
    const { community } = await connectLine();
    const { conversationId } = await openConversation(community);
    const refused = await admin.post(`/conversations/${conversationId}/messages`, { text: 'я'.repeat(9001) });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('text_too_long');
    const tooMany = await admin.post(`/conversations/${conversationId}/messages`, {
      text: 'Выберите',
      buttons: Array.from({ length: 11 }, (_, index) => ({ id: `b${index}`, text: `Вариант ${index}` })),
    });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.code).toBe('too_many_buttons');
  });
});
