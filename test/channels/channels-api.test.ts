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
  whatsappMessage,
} from '../stand-ins/whatsapp-graph-api.js';

/** The channel accounts API (/api/v1/channels): admins connect, reconfigure and remove channels. */

function telegramFields() {
  return { token: `${randomInt(10 ** 8, 10 ** 9)}:AAH${randomBytes(24).toString('base64url')}` };
}

function whatsappFields() {
  return {
    phoneNumberId: String(randomInt(10 ** 13, 10 ** 14)),
    accessToken: `EAAG${randomBytes(24).toString('base64url')}`,
    appSecret: randomBytes(16).toString('hex'),
    verifyToken: randomBytes(12).toString('base64url'),
  };
}

const name = (what: string) => `${what} ${randomBytes(3).toString('hex')}`;

/** Each secret value, and no run of 12 of its characters, appears in `value` serialized. */
function expectNoSecrets(value: unknown, secrets: string[]): void {
  const text = JSON.stringify(value);
  for (const secret of secrets) {
    for (let start = 0; start + 12 <= secret.length; start++)
      expect(text).not.toContain(secret.slice(start, start + 12));
  }
}

describe('channel accounts api', () => {
  let api: TestApi;
  let admin: ApiClient;
  let graphPort: number;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    graphPort = await freePort();
    api = await startTestApi({ env: { WHATSAPP_GRAPH_URL: `http://127.0.0.1:${graphPort}/${GRAPH_VERSION}` } });
    admin = await api.as('admin');
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await api?.close();
  });

  function hookPath(view: { webhookUrl: string }): string {
    return new URL(view.webhookUrl).pathname;
  }

  /** Posts a text message from a new sender signed with `appSecret`; returns the status and the message's wamid. */
  async function postMessage(
    path: string,
    phoneNumberId: string,
    appSecret: string,
  ): Promise<{ status: number; wamid: string; body: string }> {
    const wamid = randomWamid();
    const sender = { waId: `79${randomInt(10 ** 8, 10 ** 9)}`, name: 'Клиент' };
    const request = signedWebhook(
      appSecret,
      messagePayload(phoneNumberId, sender, whatsappMessage.text('Здравствуйте'), wamid),
    );
    const response = await fetch(`${api.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': String(request.headers['x-hub-signature-256']),
      },
      body: request.rawBody,
    });
    return { status: response.status, wamid, body: await response.text() };
  }

  const storedMessages = (wamid: string) => api.db.collection('messages').countDocuments({ externalId: wamid });

  it('should connect a Telegram bot and show its webhook URL but never its token', async () => {
    const fields = telegramFields();
    const created = await admin.post('/channels', { type: 'telegram', name: name('Бот'), ...fields });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'telegram',
      settings: { mode: 'webhook' },
      webhookUrl: `${api.app.config.publicUrl}/hooks/telegram/${created.body.id}`,
      secrets: { token: `••••${fields.token.slice(-4)}`, webhookSecret: expect.stringMatching(/^••••/) },
    });
    expect(created.body.embedCode).toBeUndefined();
    const secret = (await api.app.services.channels.get(created.body.id))?.secrets.webhookSecret ?? '';
    // A generated webhook secret is long enough to be unguessable.
    expect(secret.length).toBeGreaterThanOrEqual(20);
    expectNoSecrets(created.body, [fields.token, secret]);
  });

  it('should connect a WhatsApp number without returning any of its secrets', async () => {
    const fields = whatsappFields();
    const created = await admin.post('/channels', {
      type: 'whatsapp',
      name: name('Продажи'),
      ...fields,
      ratePerSecond: 20,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'whatsapp',
      settings: { phoneNumberId: fields.phoneNumberId },
      webhookUrl: expect.stringMatching(new RegExp(`/hooks/whatsapp/${created.body.id}$`)),
      ratePerSecond: 20,
      secrets: {
        accessToken: `••••${fields.accessToken.slice(-4)}`,
        appSecret: `••••${fields.appSecret.slice(-4)}`,
        verifyToken: `••••${fields.verifyToken.slice(-4)}`,
      },
    });
    expectNoSecrets(created.body, [fields.accessToken, fields.appSecret, fields.verifyToken]);
  });

  it('should connect a site chat with its embed code and normalized origins', async () => {
    const created = await admin.post('/channels', {
      type: 'webchat',
      name: name('Сайт'),
      allowedOrigins: ['https://Shop.Example/catalog', 'https://shop.example', 'http://localhost:5173'],
    });
    expect(created.status).toBe(201);
    expect(created.body.settings.allowedOrigins).toEqual(['https://shop.example', 'http://localhost:5173']);
    expect(created.body.embedCode).toContain(`data-channel="${created.body.id}"`);
    expect(created.body.webhookUrl).toBeUndefined();
    expect(created.body.secrets).toEqual({});
  });

  it('should list and get accounts, several of one type, with no secret anywhere', async () => {
    const first = whatsappFields();
    const second = whatsappFields();
    const bot = telegramFields();
    const ids: string[] = [];
    for (const body of [
      { type: 'whatsapp', name: name('Москва'), ...first },
      { type: 'whatsapp', name: name('Казань'), ...second },
      { type: 'telegram', name: name('Бот'), ...bot },
    ]) {
      const created = await admin.post('/channels', body);
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }

    const list = await admin.get('/channels');
    expect(list.status).toBe(200);
    const listed = list.body.items.filter((item: { id: string }) => ids.includes(item.id));
    expect(listed.map((item: { id: string }) => item.id)).toEqual(ids);
    expect(listed.map((item: { settings: { phoneNumberId?: string } }) => item.settings.phoneNumberId)).toEqual([
      first.phoneNumberId,
      second.phoneNumberId,
      undefined,
    ]);
    const one = await admin.get(`/channels/${ids[1]}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(listed[1]);
    const allSecrets = [first, second].flatMap((fields) => [fields.accessToken, fields.appSecret, fields.verifyToken]);
    expectNoSecrets(list.body, [...allSecrets, bot.token]);

    expect((await admin.get(`/channels/${new Types.ObjectId().toHexString()}`)).status).toBe(404);
    expect((await admin.get('/channels/not-an-id')).status).toBe(400);
  });

  it('should store secrets sealed, never in plain text', async () => {
    const whatsapp = whatsappFields();
    const bot = telegramFields();
    const ids = [];
    for (const body of [
      { type: 'whatsapp', name: name('Продажи'), ...whatsapp },
      { type: 'telegram', name: name('Бот'), ...bot },
    ]) {
      ids.push((await admin.post('/channels', body)).body.id);
    }
    for (const id of ids) {
      const stored = await api.db.collection('channelaccounts').findOne({ _id: new Types.ObjectId(id) });
      expect(stored?.sealedSecrets).toMatch(/^v1\./);
      expectNoSecrets(stored, [whatsapp.accessToken, whatsapp.appSecret, whatsapp.verifyToken, bot.token]);
    }
    // The secret key of a Telegram token (after the bot id) is what must not leak.
    const raw = JSON.stringify(await api.db.collection('channelaccounts').find({}).toArray());
    expect(raw).not.toContain(bot.token.split(':')[1]);
  });

  it('should refuse invalid accounts with 400 and a message for each field', async () => {
    const cases: { body: Record<string, unknown>; path: string; message: RegExp }[] = [
      { body: { type: 'telegram', name: 'Бот' }, path: 'token', message: /token/i },
      { body: { type: 'telegram', name: 'Бот', token: 'not-a-token' }, path: 'token', message: /123456789:AAH/ },
      {
        body: { type: 'telegram', name: 'Бот', ...telegramFields(), webhookUrl: 'https://evil.example' },
        path: 'webhookUrl',
        message: /Not a field of a telegram channel/,
      },
      {
        body: { type: 'telegram', name: 'Бот', ...telegramFields(), phoneNumberId: '123' },
        path: 'phoneNumberId',
        message: /Not a field of a telegram channel/,
      },
      {
        body: { type: 'webchat', name: 'Сайт', allowedOrigins: ['ftp://shop.example'] },
        path: 'allowedOrigins.0',
        message: /Not a site address/,
      },
      { body: { type: 'webchat', name: 'Сайт', allowedOrigins: [] }, path: 'allowedOrigins', message: /at least one/ },
      {
        body: { type: 'whatsapp', name: 'Продажи', ...whatsappFields(), phoneNumberId: '+7 912 345-67-89' },
        path: 'phoneNumberId',
        message: /Phone number ID/,
      },
      {
        body: { type: 'whatsapp', name: 'Продажи', ...whatsappFields(), appSecret: undefined },
        path: 'appSecret',
        message: /appSecret is required/,
      },
      { body: { type: 'viber', name: 'Вайбер', token: 'x' }, path: 'type', message: /telegram/ },
      { body: { name: 'Без типа', ...telegramFields() }, path: 'type', message: /./ },
      { body: { type: 'telegram', name: '  ', ...telegramFields() }, path: 'name', message: /./ },
    ];
    const before = await api.db.collection('channelaccounts').countDocuments();
    for (const { body, path, message } of cases) {
      const refused = await admin.post('/channels', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      const issue = refused.body.error.details?.find((detail: { path: string }) => detail.path === path);
      expect(issue, `${JSON.stringify(body)} → ${JSON.stringify(refused.body)}`).toBeDefined();
      expect(issue.message).toMatch(message);
    }
    expect(await api.db.collection('channelaccounts').countDocuments()).toBe(before);
  });

  it("should word the channel form's refusals in the language the request accepts", async () => {
    const refusal = async (body: Record<string, unknown>, language: string) => {
      const response = await fetch(`${api.baseUrl}/api/v1/channels`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'accept-language': language,
          cookie: admin.cookie ?? '',
          'x-csrf-token': admin.csrfToken ?? '',
        },
        body: JSON.stringify(body),
      });
      expect(response.status, JSON.stringify(body)).toBe(400);
      const { error } = (await response.json()) as { error: { details: { path: string; message: string }[] } };
      return Object.fromEntries(error.details.map((detail) => [detail.path, detail.message]));
    };
    const unknownField = { type: 'telegram', name: 'Бот', ...telegramFields(), webhookUrl: 'https://evil.example' };
    const badOrigin = { type: 'webchat', name: 'Сайт', allowedOrigins: ['ftp://shop.example'] };
    const noSecret = { type: 'whatsapp', name: 'Продажи', ...whatsappFields(), appSecret: undefined };
    const noToken = {
      type: 'sms',
      name: 'СМС',
      provider: 'twilio',
      accountSid: `AC${randomBytes(16).toString('hex')}`,
      from: '+79123456789',
    };
    expect(await refusal(unknownField, 'ru')).toEqual({ webhookUrl: 'У канала telegram нет такого поля' });
    expect(await refusal(badOrigin, 'ru')).toEqual({
      'allowedOrigins.0': 'Это не адрес сайта (вида https://shop.example): ftp://shop.example',
    });
    expect(await refusal(noSecret, 'ru')).toEqual({ appSecret: 'Нужен appSecret' });
    expect(await refusal(noToken, 'ru')).toEqual({ authToken: 'Для номера Twilio нужен authToken' });
    expect(await refusal(unknownField, 'en')).toEqual({ webhookUrl: 'Not a field of a telegram channel' });
    expect(await refusal(badOrigin, 'en')).toEqual({
      'allowedOrigins.0': 'Not a site address (like https://shop.example): ftp://shop.example',
    });
    expect(await refusal(noToken, 'en')).toEqual({ authToken: 'authToken is required for a Twilio number' });
  });

  it('should keep the secrets when a PATCH renames, and verify with a new app secret once it is patched', async () => {
    const fields = whatsappFields();
    const created = await admin.post('/channels', { type: 'whatsapp', name: name('Продажи'), ...fields });
    const path = hookPath(created.body);
    expect((await postMessage(path, fields.phoneNumberId, fields.appSecret)).status).toBe(200);

    const renamed = await admin.patch(`/channels/${created.body.id}`, { name: 'Отдел продаж' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Отдел продаж', secrets: created.body.secrets });
    expect((await postMessage(path, fields.phoneNumberId, fields.appSecret)).status).toBe(200);
    const handshake = await fetch(
      `${api.baseUrl}${path}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(fields.verifyToken)}&hub.challenge=42`,
    );
    expect(await handshake.text()).toBe('42');

    const appSecret = randomBytes(16).toString('hex');
    const patched = await admin.patch(`/channels/${created.body.id}`, { appSecret });
    expect(patched.status).toBe(200);
    expect(patched.body.secrets).toEqual({ ...created.body.secrets, appSecret: `••••${appSecret.slice(-4)}` });
    expectNoSecrets(patched.body, [appSecret]);
    const old = await postMessage(path, fields.phoneNumberId, fields.appSecret);
    expect(old.status).toBe(401);
    expect(await storedMessages(old.wamid)).toBe(0);
    const fresh = await postMessage(path, fields.phoneNumberId, appSecret);
    expect(fresh.status).toBe(200);
    expect(await storedMessages(fresh.wamid)).toBe(1);

    const refused = await admin.patch(`/channels/${created.body.id}`, { phoneNumberId: 'не номер', foo: 1 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(['foo']);
    const retyped = await admin.patch(`/channels/${created.body.id}`, { type: 'telegram' });
    expect(retyped.status).toBe(400);
    expect(retyped.body.error.details).toEqual([
      expect.objectContaining({ path: 'type', message: expect.stringMatching(/cannot change/) }),
    ]);
    expect((await admin.get(`/channels/${created.body.id}`)).body.type).toBe('whatsapp');
  });

  it('should disconnect an account with DELETE: 404 afterwards, for the API and its webhook', async () => {
    const fields = whatsappFields();
    const created = await admin.post('/channels', { type: 'whatsapp', name: name('Временный'), ...fields });
    const path = hookPath(created.body);
    expect((await postMessage(path, fields.phoneNumberId, fields.appSecret)).status).toBe(200);

    const removed = await admin.delete(`/channels/${created.body.id}`);
    expect(removed.status).toBe(204);
    expect((await admin.get(`/channels/${created.body.id}`)).status).toBe(404);
    expect((await admin.get('/channels')).body.items.map((item: { id: string }) => item.id)).not.toContain(
      created.body.id,
    );
    expect((await admin.patch(`/channels/${created.body.id}`, { name: 'Снова' })).status).toBe(404);
    expect((await admin.delete(`/channels/${created.body.id}`)).status).toBe(404);
    const late = await postMessage(path, fields.phoneNumberId, fields.appSecret);
    expect(late.status).toBe(404);
    expect(await storedMessages(late.wamid)).toBe(0);
    const handshake = await fetch(
      `${api.baseUrl}${path}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(fields.verifyToken)}&hub.challenge=42`,
    );
    expect(handshake.status).toBe(404);
  });

  it('should let only admins manage channels', async () => {
    const created = await admin.post('/channels', { type: 'whatsapp', name: name('Продажи'), ...whatsappFields() });
    for (const role of ['manager', 'operator', 'marketer'] as const) {
      const client = await api.as(role);
      expect((await client.get('/channels')).status, role).toBe(403);
      expect((await client.get(`/channels/${created.body.id}`)).status, role).toBe(403);
      expect((await client.post('/channels', { type: 'telegram', name: 'Бот', ...telegramFields() })).status).toBe(403);
      expect((await client.patch(`/channels/${created.body.id}`, { name: 'Моё' })).status, role).toBe(403);
      expect((await client.delete(`/channels/${created.body.id}`)).status, role).toBe(403);
    }
    expect((await api.anonymous().get('/channels')).status).toBe(401);
    expect((await admin.get(`/channels/${created.body.id}`)).body.name).toBe(created.body.name);
  });

  it('should write create, update and delete to the audit log without secret values', async () => {
    const fields = whatsappFields();
    const created = await admin.post('/channels', { type: 'whatsapp', name: name('Продажи'), ...fields });
    const id = created.body.id;
    const accessToken = `EAAG${randomBytes(24).toString('base64url')}`;
    expect((await admin.patch(`/channels/${id}`, { name: 'Новое имя', accessToken })).status).toBe(200);
    expect((await admin.delete(`/channels/${id}`)).status).toBe(204);

    const log = await admin.get(`/audit?entity=channel&entityId=${id}`);
    expect(log.status).toBe(200);
    expect(log.body.items.map((entry: { action: string }) => entry.action)).toEqual([
      'channel.delete',
      'channel.update',
      'channel.create',
    ]);
    for (const entry of log.body.items) expect(entry.actor).toEqual({ id: api.users.admin.id, name: 'Test admin' });
    const update = log.body.items[1];
    expect(update.changes).toContain('name');
    expect(update.after.name).toBe('Новое имя');
    // Which secrets changed is recorded, by name only.
    expect(update.meta).toEqual({ changedSecrets: ['accessToken'] });
    expectNoSecrets(log.body, [fields.accessToken, fields.appSecret, fields.verifyToken, accessToken]);
  });

  it('should refuse the webhooks of an account whose stored secret was tampered with, and keep the rest working', async () => {
    const broken = whatsappFields();
    const created = await admin.post('/channels', { type: 'whatsapp', name: name('Сломанный'), ...broken });
    const id = created.body.id;
    const stored = await api.db.collection('channelaccounts').findOne({ _id: new Types.ObjectId(id) });
    const [version, nonce, tag, body] = String(stored?.sealedSecrets).split('.');
    const flipped = Buffer.from(body ?? '', 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 0xff;
    await api.db
      .collection('channelaccounts')
      .updateOne(
        { _id: new Types.ObjectId(id) },
        { $set: { sealedSecrets: [version, nonce, tag, flipped.toString('base64url')].join('.') } },
      );
    // What another process sees once its short cache expires.
    api.app.services.channels.invalidate(id);

    // The request may well be Meta's: 503 asks it to deliver again later instead of losing the message.
    const refused = await postMessage(hookPath(created.body), broken.phoneNumberId, broken.appSecret);
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body).error.code).toBe('channel_secrets_unreadable');
    expect(await storedMessages(refused.wamid)).toBe(0);
    const handshake = await fetch(
      `${api.baseUrl}${hookPath(created.body)}?hub.mode=subscribe&hub.verify_token=${broken.verifyToken}&hub.challenge=7`,
    );
    expect(handshake.status).toBe(503);

    // The account still shows (by its hints) and can be repaired by entering its secrets again.
    expect((await admin.get(`/channels/${id}`)).status).toBe(200);
    expect((await admin.get('/channels')).status).toBe(200);
    const partial = await admin.patch(`/channels/${id}`, { name: 'Без секретов' });
    expect(partial.status).toBe(400);
    expect(partial.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(
      expect.arrayContaining(['accessToken', 'appSecret', 'verifyToken']),
    );

    // Another number connected meanwhile receives and sends as usual.
    const working = whatsappFields();
    const graph = await startWhatsappGraphApi({
      phoneNumberId: working.phoneNumberId,
      accessToken: working.accessToken,
      port: graphPort,
    });
    cleanups.push(() => graph.close());
    const other = await admin.post('/channels', { type: 'whatsapp', name: name('Рабочий'), ...working });
    const delivered = await postMessage(hookPath(other.body), working.phoneNumberId, working.appSecret);
    expect(delivered.status).toBe(200);
    const conversation = await api.db
      .collection('conversations')
      .findOne({ channelAccountId: new Types.ObjectId(other.body.id) });
    const reply = await admin.post(`/conversations/${conversation?._id.toHexString()}/messages`, { text: 'Ответ' });
    expect(reply.status).toBe(202);
    await expect.poll(() => graph.sent().length, { timeout: 15_000 }).toBe(1);

    // A reply on a conversation of the broken account says why it cannot go, instead of a 500.
    const stranded = await api.db.collection('conversations').insertOne({
      contactId: new Types.ObjectId(),
      channel: 'whatsapp',
      channelAccountId: new Types.ObjectId(id),
      chatId: broken.phoneNumberId,
      status: 'open',
      handler: 'human',
      teamIds: [],
      lastMessageAt: new Date(),
      lastInboundAt: new Date(),
      unreadCount: 0,
    });
    const unsendable = await admin.post(`/conversations/${stranded.insertedId.toHexString()}/messages`, {
      text: 'Ответ',
    });
    expect(unsendable.status).toBe(503);
    expect(unsendable.body.error.code).toBe('channel_secrets_unreadable');

    const repaired = await admin.patch(`/channels/${id}`, { ...broken, phoneNumberId: undefined });
    expect(repaired.status).toBe(200);
    const accepted = await postMessage(hookPath(created.body), broken.phoneNumberId, broken.appSecret);
    expect(accepted.status).toBe(200);
    expect(await storedMessages(accepted.wamid)).toBe(1);
  });
});
