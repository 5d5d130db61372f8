import { randomBytes, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/free-port.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { postWebhook } from '../stand-ins/post-webhook.js';
import {
  startTwilioApi,
  twilioAuthToken,
  twilioPayloads,
  twilioSid,
  twilioWebhook,
  type TwilioApi,
} from '../stand-ins/twilio-api.js';
import {
  callIdWithRecord,
  pbxCallId,
  startZadarmaApi,
  zadarmaNotification,
  zadarmaPayloads,
  zadarmaTime,
  type ZadarmaApi,
} from '../stand-ins/zadarma-api.js';
import { waitUntil } from '../wait-until.js';

/**
 * Calls through the whole running app: Twilio Voice status and recording callbacks and Zadarma
 * notifications, signed and posted as the providers do, become one timeline entry per call with
 * its recording kept in the file store; a missed call from a new number becomes a lead with one
 * call-back task.
 */

const PUBLIC_URL = 'https://crm.example.ru';
const OUR_NUMBER = '+74951234567';

interface CallView {
  kind: 'call';
  direction: 'in' | 'out';
  from: string;
  to: string;
  operator?: { extension: string; userId?: string };
  startedAt: string;
  durationSec: number;
  outcome: string;
  recording?: { kind: string; state: string; url?: string; mimeType?: string };
}

interface Entry {
  id: string;
  contactId: string;
  channel: string;
  externalId?: string;
  content: CallView;
}

/** Bytes that sniff as MP3: an ID3v2 header and MPEG audio frames. */
function mp3Bytes(): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  frame.set(randomBytes(64), 8);
  return Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 0x03, 0, 0, 0, 0, 0, 0]), frame, frame, frame]);
}

function newPhone(): string {
  return `+79${randomInt(10 ** 8, 10 ** 9)}`;
}

describe('voice channel', () => {
  let api: TestApi;
  let admin: ApiClient;
  let twilioPort: number;
  let zadarma: ZadarmaApi;
  const zadarmaKeys = { apiKey: randomBytes(10).toString('hex'), apiSecret: randomBytes(20).toString('hex') };
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    twilioPort = await freePort();
    zadarma = await startZadarmaApi(zadarmaKeys);
    api = await startTestApi({
      env: {
        PUBLIC_URL,
        TWILIO_API_ROOT: `http://127.0.0.1:${twilioPort}`,
        ZADARMA_API_ROOT: zadarma.apiRoot,
        // Recordings are fetched by the media worker, which listens on one queue per Redis database.
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
    await zadarma?.close();
  });

  async function connect(fields: Record<string, unknown>): Promise<{ id: string; webhookUrl: string }> {
    const created = await admin.post('/channels', {
      type: 'voice',
      name: `Телефония ${randomBytes(3).toString('hex')}`,
      ...fields,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return { id: created.body.id, webhookUrl: created.body.webhookUrl };
  }

  async function connectTwilio(extra: Record<string, unknown> = {}) {
    const fields = { accountSid: twilioSid('AC'), authToken: twilioAuthToken() };
    const line = await connect({ provider: 'twilio', ...fields, ...extra });
    const twilio: TwilioApi = await startTwilioApi({ ...fields, port: twilioPort, webhookVia: api.baseUrl });
    cleanups.push(() => twilio.close());
    const post = (params: Record<string, string>) =>
      postWebhook(twilioWebhook(fields.authToken, line.webhookUrl, params), api.baseUrl);
    return { ...line, ...fields, twilio, post };
  }

  async function connectZadarma(extra: Record<string, unknown> = {}) {
    const line = await connect({ provider: 'zadarma', ...zadarmaKeys, ...extra });
    const post = (notification: { fields: Record<string, string>; signed: string }, secret = zadarmaKeys.apiSecret) =>
      postWebhook(zadarmaNotification(secret, line.webhookUrl, notification), api.baseUrl);
    return { ...line, post };
  }

  async function callEntries(accountId: string, phone: string): Promise<Entry[]> {
    const conversation = await api.db
      .collection('conversations')
      .findOne({ channelAccountId: new Types.ObjectId(accountId), chatId: phone });
    if (!conversation) return [];
    const page = await admin.get(`/conversations/${conversation._id.toHexString()}/messages?limit=100`);
    expect(page.status).toBe(200);
    return page.body.items;
  }

  async function timelineCall(contactId: string): Promise<Entry> {
    const timeline = await admin.get(`/contacts/${contactId}/timeline?limit=50`);
    expect(timeline.status).toBe(200);
    const item = timeline.body.items.find(
      (candidate: { kind: string; message?: Entry }) =>
        candidate.kind === 'message' && candidate.message?.content.kind === 'call',
    );
    return item.message;
  }

  /** The call's recording once the media worker has kept it, played as the inbox's <audio> would. */
  async function playRecording(accountId: string, phone: string): Promise<Buffer> {
    const entry = await waitUntil('the recording to be kept', async () => {
      const [call] = await callEntries(accountId, phone);
      return call?.content.recording?.state === 'kept' ? call : undefined;
    });
    const response = await fetch(`${api.baseUrl}/api/v1${entry.content.recording!.url!.replace('/api/v1', '')}`, {
      headers: { cookie: admin.cookie ?? '' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^audio\/mpeg/);
    return Buffer.from(await response.arrayBuffer());
  }

  async function tasksOf(contactId: string) {
    return api.db
      .collection('tasks')
      .find({ contactId: new Types.ObjectId(contactId) })
      .toArray();
  }

  it('should put an answered Twilio call on the caller’s timeline with its duration and its recording', async () => {
    const line = await connectTwilio();
    const phone = newPhone();
    const callSid = twilioSid('CA');
    const endedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const bytes = mp3Bytes();
    const { recordingSid, recordingUrl } = line.twilio.addRecording(bytes);

    const status = twilioPayloads.callStatus({
      accountSid: line.accountSid,
      callSid,
      from: phone,
      to: OUR_NUMBER,
      direction: 'inbound',
      status: 'completed',
      durationSec: 95,
      at: endedAt,
    });
    for (const progress of ['ringing', 'in-progress']) {
      const answer = await line.post({ ...status, CallStatus: progress });
      expect(answer.status).toBe(200);
    }
    expect(await callEntries(line.id, phone)).toEqual([]);
    const answers = await Promise.all([line.post(status), line.post(status), line.post(status)]);
    for (const answer of answers) {
      expect(answer.status, answer.body).toBe(200);
      expect(answer.contentType).toMatch(/^text\/xml/);
    }
    const recording = twilioPayloads.recordingStatus({
      accountSid: line.accountSid,
      callSid,
      recordingSid,
      recordingUrl,
      durationSec: 95,
      startedAt: new Date(endedAt.getTime() - 95_000),
    });
    expect((await line.post(recording)).status).toBe(200);
    expect((await line.post(recording)).status).toBe(200);

    expect(await playRecording(line.id, phone)).toEqual(bytes);
    const [entry, ...others] = await callEntries(line.id, phone);
    expect(others).toEqual([]);
    expect(entry).toMatchObject({
      channel: 'voice',
      externalId: callSid,
      content: {
        kind: 'call',
        direction: 'in',
        from: phone,
        to: OUR_NUMBER,
        outcome: 'answered',
        durationSec: 95,
        startedAt: new Date(endedAt.getTime() - 95_000).toISOString(),
        recording: { kind: 'audio', state: 'kept', mimeType: 'audio/mpeg' },
      },
    });
    expect((await timelineCall(entry!.contactId)).id).toBe(entry!.id);
    expect(line.twilio.downloads().get(recordingSid)).toBe(1);
    // An answered call is nobody's call-back.
    expect(await tasksOf(entry!.contactId)).toEqual([]);
  });

  it('should join a Twilio recording that comes before its call to the call', async () => {
    const line = await connectTwilio();
    const phone = newPhone();
    const callSid = twilioSid('CA');
    const bytes = mp3Bytes();
    const { recordingSid, recordingUrl } = line.twilio.addRecording(bytes);
    const at = new Date();
    const recording = twilioPayloads.recordingStatus({
      accountSid: line.accountSid,
      callSid,
      recordingSid,
      recordingUrl,
      durationSec: 30,
      startedAt: at,
    });
    expect((await line.post(recording)).status).toBe(200);
    const status = twilioPayloads.callStatus({
      accountSid: line.accountSid,
      callSid,
      from: OUR_NUMBER,
      to: phone,
      direction: 'outbound-api',
      status: 'completed',
      durationSec: 30,
      at,
    });
    expect((await line.post(status)).status).toBe(200);
    expect(await playRecording(line.id, phone)).toEqual(bytes);
    const [entry] = await callEntries(line.id, phone);
    expect(entry?.content).toMatchObject({ direction: 'out', from: OUR_NUMBER, to: phone, outcome: 'answered' });
  });

  it('should put an answered Zadarma call on the timeline with its operator, duration and recording', async () => {
    const operator = await api.createUser({ role: 'operator', name: 'Анна Смирнова' });
    const line = await connectZadarma({ operators: [{ extension: '101', userId: operator.id }] });
    const phone = newPhone();
    const callId = pbxCallId();
    const recordId = callIdWithRecord();
    const bytes = mp3Bytes();
    zadarma.addRecording(recordId, bytes);
    const startedAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 120_000);
    const call = {
      pbxCallId: callId,
      callerId: phone.slice(1),
      calledDid: OUR_NUMBER.slice(1),
      callStart: zadarmaTime(startedAt),
    };

    expect((await line.post(zadarmaPayloads.notifyStart(call))).status).toBe(200);
    expect(await callEntries(line.id, phone)).toEqual([]);
    const end = zadarmaPayloads.notifyEnd({
      ...call,
      internal: '101',
      durationSec: 74,
      disposition: 'answered',
      recordId,
    });
    expect((await line.post(end)).status).toBe(200);
    expect((await line.post(end)).status).toBe(200);
    expect((await line.post(zadarmaPayloads.notifyRecord({ pbxCallId: callId, recordId }))).status).toBe(200);

    expect(await playRecording(line.id, phone)).toEqual(bytes);
    expect(zadarma.linkRequests()).toContain(recordId);
    const [entry, ...others] = await callEntries(line.id, phone);
    expect(others).toEqual([]);
    expect(entry?.content).toMatchObject({
      kind: 'call',
      direction: 'in',
      from: phone.slice(1),
      to: OUR_NUMBER.slice(1),
      operator: { extension: '101', userId: operator.id },
      startedAt: startedAt.toISOString(),
      durationSec: 74,
      outcome: 'answered',
    });
    const contact = await admin.get(`/contacts/${entry!.contactId}`);
    expect(contact.body).toMatchObject({ source: 'call', phones: [{ e164: phone }] });
  });

  it('should make a missed Zadarma call from a new number a lead with source call and one call-back task, however often it is delivered', async () => {
    const team = await admin.post('/teams', { name: `Продажи ${randomBytes(3).toString('hex')}` });
    expect(team.status).toBe(201);
    const busy = await api.createUser({ role: 'operator', teamIds: [team.body.id] });
    const free = await api.createUser({ role: 'operator', teamIds: [team.body.id] });
    await api.db.collection('tasks').insertOne({
      title: 'Уже есть звонок',
      kind: 'call',
      assigneeId: new Types.ObjectId(busy.id),
      done: false,
      createdBy: { kind: 'user', id: busy.id },
    });
    const line = await connectZadarma({ teamIds: [team.body.id] });
    const phone = newPhone();
    const missed = zadarmaPayloads.notifyEnd({
      pbxCallId: pbxCallId(),
      callerId: phone.slice(1),
      calledDid: OUR_NUMBER.slice(1),
      callStart: zadarmaTime(new Date()),
      durationSec: 21,
      disposition: 'no answer',
    });

    const answers = await Promise.all(Array.from({ length: 10 }, () => line.post(missed)));
    for (const answer of answers) expect(answer.status, answer.body).toBe(200);

    const [entry, ...others] = await callEntries(line.id, phone);
    expect(others).toEqual([]);
    expect(entry?.content).toMatchObject({ direction: 'in', outcome: 'missed', durationSec: 21 });
    const contact = await admin.get(`/contacts/${entry!.contactId}`);
    expect(contact.body).toMatchObject({ source: 'call', phones: [{ e164: phone }], teamIds: [team.body.id] });
    const tasks = await tasksOf(entry!.contactId);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ kind: 'call', done: false, createdBy: { kind: 'automation', id: 'missed-call' } });
    expect(tasks[0]!.title).toContain(phone.slice(1));
    // The team member with fewer open calls gets it.
    expect(tasks[0]!.assigneeId.toHexString()).toBe(free.id);
    const timeline = await admin.get(`/contacts/${entry!.contactId}/timeline?limit=50`);
    expect(timeline.body.items.map((item: { kind: string }) => item.kind).sort()).toEqual(['message', 'task']);
  });

  it('should give a missed Twilio call’s call-back to the contact’s owner, once, however often it is delivered', async () => {
    const owner = await api.createUser({ role: 'manager' });
    const phone = newPhone();
    const crm = await admin.post('/contacts', { name: 'Пётр Соколов', phones: [phone], ownerId: owner.id });
    expect(crm.status).toBe(201);
    const line = await connectTwilio();
    const busy = twilioPayloads.callStatus({
      accountSid: line.accountSid,
      callSid: twilioSid('CA'),
      from: phone,
      to: OUR_NUMBER,
      direction: 'inbound',
      status: 'busy',
      at: new Date(),
    });
    for (let delivery = 0; delivery < 3; delivery += 1) expect((await line.post(busy)).status).toBe(200);

    const [entry, ...others] = await callEntries(line.id, phone);
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ contactId: crm.body.id, content: { outcome: 'busy', durationSec: 0 } });
    const tasks = await tasksOf(crm.body.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.assigneeId.toHexString()).toBe(owner.id);
  });

  it('should answer 401 to a bad or missing Zadarma signature and store nothing', async () => {
    const line = await connectZadarma();
    const phone = newPhone();
    const missed = zadarmaPayloads.notifyEnd({
      pbxCallId: pbxCallId(),
      callerId: phone.slice(1),
      calledDid: OUR_NUMBER.slice(1),
      callStart: zadarmaTime(new Date()),
      durationSec: 5,
      disposition: 'no answer',
    });
    const forged = [
      zadarmaNotification(randomBytes(20).toString('hex'), line.webhookUrl, missed),
      // Signed right, but over other fields than the ones sent.
      zadarmaNotification(zadarmaKeys.apiSecret, line.webhookUrl, { ...missed, signed: `${missed.signed}0` }),
      {
        ...zadarmaNotification(zadarmaKeys.apiSecret, line.webhookUrl, missed),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
    ];
    for (const webhook of forged) {
      const answer = await postWebhook(webhook, api.baseUrl);
      expect(answer.status, answer.body).toBe(401);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'webhook_unauthorized' } });
    }
    expect(await api.db.collection('conversations').countDocuments({ chatId: phone })).toBe(0);
    expect(await api.db.collection('contacts').countDocuments({ 'phones.e164': phone })).toBe(0);
  });

  it('should echo Zadarma’s zd_echo address check and refuse replies on a call conversation', async () => {
    const line = await connectZadarma();
    const echo = await fetch(`${api.baseUrl}${new URL(line.webhookUrl).pathname}?zd_echo=f3a9c1`);
    expect(echo.status).toBe(200);
    expect(await echo.text()).toBe('f3a9c1');

    const phone = newPhone();
    const call = zadarmaPayloads.notifyEnd({
      pbxCallId: pbxCallId(),
      callerId: phone.slice(1),
      calledDid: OUR_NUMBER.slice(1),
      callStart: zadarmaTime(new Date()),
      durationSec: 40,
      disposition: 'answered',
    });
    expect((await line.post(call)).status).toBe(200);
    const conversation = await api.db
      .collection('conversations')
      .findOne({ channelAccountId: new Types.ObjectId(line.id), chatId: phone });
    const refused = await admin.post(`/conversations/${conversation!._id.toHexString()}/messages`, { text: 'Алло?' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('channel_read_only');
  });
});
