import { randomBytes, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/free-port.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { postWebhook, type WebhookAnswer } from '../stand-ins/post-webhook.js';
import {
  smsruApiId,
  smsruCallback,
  smsruEntries,
  smsruSmsId,
  startSmsruApi,
  type SmsruApi,
} from '../stand-ins/smsru-api.js';
import {
  startTwilioApi,
  twilioAuthToken,
  twilioPayloads,
  twilioSid,
  twilioWebhook,
  type TwilioApi,
} from '../stand-ins/twilio-api.js';
import { waitUntil } from '../wait-until.js';

/**
 * The SMS channel through the whole running app, on both providers: webhooks signed and posted as
 * Twilio and SMS.ru post them to PUBLIC_URL (a proxy's address; they reach the app through it),
 * replies through the API and the outbound worker to the providers' stand-ins, and back.
 */

const PUBLIC_URL = 'https://crm.example.ru';

interface Line {
  id: string;
  /** The webhook URL the API shows, which the admin gives the provider. */
  webhookUrl: string;
}

interface TwilioLine extends Line {
  accountSid: string;
  authToken: string;
  from: string;
  twilio: TwilioApi;
}

interface SmsruLine extends Line {
  apiId: string;
  smsru: SmsruApi;
}

interface Message {
  id: string;
  direction: 'in' | 'out';
  status: string;
  contactId: string;
  externalId?: string;
  content: { kind: string; text?: string };
  failure?: { code: string; reason: string };
}

function newPhone(): string {
  return `+79${randomInt(10 ** 8, 10 ** 9)}`;
}

describe('sms channel', () => {
  let api: TestApi;
  let admin: ApiClient;
  let twilioPort: number;
  let smsruPort: number;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    twilioPort = await freePort();
    smsruPort = await freePort();
    api = await startTestApi({
      env: {
        PUBLIC_URL,
        TWILIO_API_ROOT: `http://127.0.0.1:${twilioPort}`,
        SMSRU_API_ROOT: `http://127.0.0.1:${smsruPort}`,
        // A Redis database of its own, so no other suite's workers take this app's jobs.
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

  async function connect(fields: Record<string, unknown>): Promise<Line> {
    const created = await admin.post('/channels', {
      type: 'sms',
      name: `SMS ${randomBytes(3).toString('hex')}`,
      ...fields,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.secrets).not.toHaveProperty('authToken', fields.authToken);
    return { id: created.body.id, webhookUrl: created.body.webhookUrl };
  }

  async function connectTwilio(): Promise<TwilioLine> {
    const fields = { accountSid: twilioSid('AC'), authToken: twilioAuthToken(), from: '+74951234567' };
    const line = await connect({ provider: 'twilio', ...fields });
    const twilio = await startTwilioApi({
      ...fields,
      senders: [fields.from],
      port: twilioPort,
      webhookVia: api.baseUrl,
    });
    cleanups.push(() => twilio.close());
    return { ...line, ...fields, twilio };
  }

  async function connectSmsru(): Promise<SmsruLine> {
    const apiId = smsruApiId();
    const line = await connect({ provider: 'smsru', apiId, from: 'EcoStroy' });
    const smsru = await startSmsruApi({ apiId, port: smsruPort, webhookVia: api.baseUrl });
    smsru.setCallback(line.webhookUrl);
    cleanups.push(() => smsru.close());
    return { ...line, apiId, smsru };
  }

  function twilioSms(line: TwilioLine, from: string, body: string, messageSid = twilioSid('SM')) {
    const params = twilioPayloads.incomingSms({ accountSid: line.accountSid, from, to: line.from, body, messageSid });
    return twilioWebhook(line.authToken, line.webhookUrl, params);
  }

  async function conversationOf(line: Line, phone: string): Promise<string> {
    const conversation = await api.db
      .collection('conversations')
      .findOne({ channelAccountId: new Types.ObjectId(line.id), chatId: phone });
    if (!conversation) throw new Error(`No conversation with ${phone} on ${line.id}`);
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

  async function reply(conversationId: string, text: string): Promise<Message> {
    const queued = await admin.post(`/conversations/${conversationId}/messages`, { text });
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    return queued.body;
  }

  function expectAcknowledged(answer: WebhookAnswer, contentType: RegExp, body: string | RegExp): void {
    expect(answer.status, answer.body).toBe(200);
    expect(answer.contentType).toMatch(contentType);
    expect(answer.body).toMatch(body);
  }

  it('should store a Twilio SMS once, on the CRM contact with that phone, however often Twilio delivers it', async () => {
    const line = await connectTwilio();
    const phone = newPhone();
    const crm = await admin.post('/contacts', { name: 'Ольга Иванова', phones: [`8${phone.slice(2)}`] });
    expect(crm.status).toBe(201);
    const webhook = twilioSms(line, phone, 'Здравствуйте! Сколько стоит дом из СИП-панелей?');

    const answers = await Promise.all(Array.from({ length: 10 }, () => postWebhook(webhook, api.baseUrl)));
    for (const answer of answers) expectAcknowledged(answer, /^text\/xml/, /^<\?xml[^>]*><Response><\/Response>$/);

    const conversationId = await conversationOf(line, phone);
    const messages = await messagesOf(conversationId);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      direction: 'in',
      status: 'received',
      contactId: crm.body.id,
      content: { kind: 'text', text: 'Здравствуйте! Сколько стоит дом из СИП-панелей?' },
    });
    const contact = await admin.get(`/contacts/${crm.body.id}`);
    expect(contact.body.identities).toContainEqual(expect.objectContaining({ channel: 'sms', externalId: phone }));
  });

  it('should store an SMS.ru text once as a new lead with its phone, urlencoded or multipart, however often it comes', async () => {
    const line = await connectSmsru();
    const phone = newPhone();
    const smsId = smsruSmsId();
    const entries = [smsruEntries.received(smsId, phone.slice(1), 'Добрый день,\nнужна консультация')];
    const deliveries = [
      smsruCallback(line.apiId, line.webhookUrl, entries),
      smsruCallback(line.apiId, line.webhookUrl, entries, { multipart: true }),
    ];

    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) => postWebhook(deliveries[index % 2]!, api.baseUrl)),
    );
    // SMS.ru delivers again until it reads exactly 100.
    for (const answer of answers) expectAcknowledged(answer, /^text\/plain/, /^100$/);

    const conversationId = await conversationOf(line, phone);
    const [message, ...others] = await messagesOf(conversationId);
    expect(others).toEqual([]);
    expect(message).toMatchObject({
      externalId: smsId,
      content: { kind: 'text', text: 'Добрый день,\nнужна консультация' },
    });
    const contact = await admin.get(`/contacts/${message!.contactId}`);
    expect(contact.body).toMatchObject({ source: 'sms', phones: [{ e164: phone }] });
  });

  it('should answer 401 to a wrong or missing signature from either provider and store nothing', async () => {
    const twilioLine = await connectTwilio();
    const smsruLine = await connectSmsru();
    const phone = newPhone();
    const params = twilioPayloads.incomingSms({
      accountSid: twilioLine.accountSid,
      from: phone,
      to: twilioLine.from,
      body: 'Подделка',
    });
    const good = twilioWebhook(twilioLine.authToken, twilioLine.webhookUrl, params);
    const smsruEntry = [smsruEntries.received(smsruSmsId(), phone.slice(1), 'Подделка')];
    const forged = [
      twilioWebhook(twilioAuthToken(), twilioLine.webhookUrl, params),
      { ...good, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      // Signed for another address than the one this account was given, replayed at ours.
      twilioWebhook(twilioLine.authToken, `https://elsewhere.example/hooks/sms/${twilioLine.id}`, params),
      { ...good, rawBody: twilioSms(twilioLine, phone, 'Изменено', params.MessageSid).rawBody },
      smsruCallback(smsruApiId(), smsruLine.webhookUrl, smsruEntry),
      smsruCallback(smsruLine.apiId, smsruLine.webhookUrl, smsruEntry, { hash: '' }),
    ];
    for (const webhook of forged) {
      const answer = await postWebhook(webhook, api.baseUrl);
      expect(answer.status, answer.body).toBe(401);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'webhook_unauthorized' } });
    }
    expect(await api.db.collection('conversations').countDocuments({ chatId: phone })).toBe(0);
    expect(await api.db.collection('contacts').countDocuments({ 'phones.e164': phone })).toBe(0);
  });

  it('should check a Twilio signature against the address the app is called at when there is no proxy', async () => {
    const line = await connectTwilio();
    const phone = newPhone();
    const direct = `${api.baseUrl}${new URL(line.webhookUrl).pathname}`;
    const params = twilioPayloads.incomingSms({
      accountSid: line.accountSid,
      from: phone,
      to: line.from,
      body: 'Напрямую',
    });
    expectAcknowledged(await postWebhook(twilioWebhook(line.authToken, direct, params)), /^text\/xml/, /<Response>/);
    expect(await messagesOf(await conversationOf(line, phone))).toHaveLength(1);
  });

  it('should send a reply through Twilio and follow its status callbacks to delivered, or to failed with the reason', async () => {
    const line = await connectTwilio();
    const phone = newPhone();
    await postWebhook(twilioSms(line, phone, 'Перезвоните мне'), api.baseUrl);
    const conversationId = await conversationOf(line, phone);

    const queued = await reply(conversationId, 'Здравствуйте! Менеджер перезвонит через 10 минут.');
    const sent = await waitForStatus(conversationId, queued.id, 'sent');
    const [request] = line.twilio.sent();
    expect(request).toMatchObject({
      sid: sent.externalId,
      chatId: phone,
      from: line.from,
      text: 'Здравствуйте! Менеджер перезвонит через 10 минут.',
      statusCallback: line.webhookUrl,
    });
    expectAcknowledged(await line.twilio.reportStatus(request!.sid, 'sent'), /^text\/xml/, /<Response>/);
    expectAcknowledged(await line.twilio.reportStatus(request!.sid, 'delivered'), /^text\/xml/, /<Response>/);
    await waitForStatus(conversationId, queued.id, 'delivered');

    const second = await reply(conversationId, 'Вы на связи?');
    await waitForStatus(conversationId, second.id, 'sent');
    const failing = line.twilio.sent().find((record) => record.text === 'Вы на связи?');
    await line.twilio.reportStatus(failing!.sid, 'undelivered', '30003');
    const failed = await waitForStatus(conversationId, second.id, 'failed');
    expect(failed.failure).toEqual({ code: '30003', reason: expect.stringMatching(/Unreachable destination handset/) });
  });

  it('should send a reply through SMS.ru and follow its status codes to delivered, or to failed with the reason', async () => {
    const line = await connectSmsru();
    const phone = newPhone();
    await line.smsru.receive(phone.slice(1), 'Хочу рассчитать стоимость');
    const conversationId = await conversationOf(line, phone);

    const queued = await reply(conversationId, 'Пришлите, пожалуйста, площадь дома');
    const sent = await waitForStatus(conversationId, queued.id, 'sent');
    const [request] = line.smsru.sent();
    expect(request).toMatchObject({
      smsId: sent.externalId,
      chatId: phone,
      from: 'EcoStroy',
      text: 'Пришлите, пожалуйста, площадь дома',
    });
    expectAcknowledged(await line.smsru.reportStatus(request!.smsId, 102), /^text\/plain/, /^100$/);
    expectAcknowledged(await line.smsru.reportStatus(request!.smsId, 103), /^text\/plain/, /^100$/);
    await waitForStatus(conversationId, queued.id, 'delivered');

    const second = await reply(conversationId, 'Напоминаем о замере завтра');
    await waitForStatus(conversationId, second.id, 'sent');
    const failing = line.smsru.sent().find((record) => record.text === 'Напоминаем о замере завтра');
    await line.smsru.reportStatus(failing!.smsId, 104);
    const failed = await waitForStatus(conversationId, second.id, 'failed');
    expect(failed.failure).toEqual({ code: '104', reason: expect.stringMatching(/time to live/) });
  });

  it('should refuse replies with a clear error after STOP, note it on the timeline once, and take them again after START', async () => {
    const line = await connectTwilio();
    const phone = newPhone();
    await postWebhook(twilioSms(line, phone, 'Здравствуйте'), api.baseUrl);
    const conversationId = await conversationOf(line, phone);
    const stop = twilioSms(line, phone, ' stop ');
    for (let delivery = 0; delivery < 3; delivery += 1) await postWebhook(stop, api.baseUrl);

    const refused = await admin.post(`/conversations/${conversationId}/messages`, { text: 'Последнее предложение!' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'conflict', details: { reason: 'opted_out' } });
    expect(refused.body.error.message).toMatch(/opted out of sms.*STOP/i);
    const [first] = await messagesOf(conversationId);
    const contactId = first!.contactId;
    const contact = await admin.get(`/contacts/${contactId}`);
    expect(contact.body.consent.sms).toMatchObject({ status: 'opted-out' });
    const timeline = await admin.get(`/contacts/${contactId}/timeline?limit=50`);
    const notes = timeline.body.items.filter((item: { kind: string }) => item.kind === 'note');
    expect(notes).toHaveLength(1);
    expect(notes[0].note.text).toMatch(/Отписался от SMS.*STOP/);

    await postWebhook(twilioSms(line, phone, 'СТАРТ'), api.baseUrl);
    const accepted = await reply(conversationId, 'Рады, что вы снова с нами');
    await waitForStatus(conversationId, accepted.id, 'sent');
    expect(line.twilio.sent().map((record) => record.text)).toEqual(['Рады, что вы снова с нами']);
  });

  it('should count a reply’s segments for the reply box of an SMS conversation', async () => {
    const line = await connectSmsru();
    const phone = newPhone();
    await line.smsru.receive(phone.slice(1), 'Здравствуйте');
    const conversationId = await conversationOf(line, phone);
    const count = async (text: string) => {
      const answer = await admin.post(`/conversations/${conversationId}/sms-segments`, { text });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body;
    };
    expect(await count('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1, remaining: 0 });
    expect(await count('Ж'.repeat(71))).toMatchObject({
      encoding: 'UCS-2',
      segments: 2,
      perSegment: 67,
      unicodeCharacters: ['Ж'],
    });
    const operator = await api.as('operator');
    expect((await operator.post(`/conversations/${conversationId}/sms-segments`, { text: 'x' })).status).toBe(404);
  });
});
