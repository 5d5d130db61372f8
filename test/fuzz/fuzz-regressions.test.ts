import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { twilioAuthToken, twilioPayloads, twilioSid, twilioWebhook } from '../stand-ins/twilio-api.js';
import { countDocuments, expectRefusal, grown, send } from './fuzz-kit.js';

/** The shrunk counterexamples the fuzz suites found, kept as plain cases (each was a 500 or a silent 200). */
describe('fuzz findings', () => {
  let api: TestApi;
  let operator: ApiClient;

  beforeAll(async () => {
    api = await startTestApi();
    await ensureDefaultPipelines(api.db);
    operator = await api.as('operator');
  });
  afterAll(() => api?.close());

  /** A request with the operator's session, as the inbox sends it, with our own body and content type. */
  function asOperator(method: string, path: string, body: string, contentType?: string) {
    return send(`${api.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        cookie: operator.cookie!,
        'x-csrf-token': operator.csrfToken!,
        ...(contentType ? { 'content-type': contentType } : {}),
      },
      body,
    });
  }

  it('should answer 401 to a session cookie that is not percent-encoding', async () => {
    const answer = await send(`${api.baseUrl}/api/v1/auth/me`, {
      method: 'GET',
      headers: { cookie: 'sid=s%3A%E0%A4%A' },
    });
    expect(answer.status).toBe(401);
    expectRefusal(answer, 'undecodable cookie');
  });

  it('should answer 400 to a path parameter that is not percent-encoding', async () => {
    for (const method of ['POST', 'OPTIONS']) {
      const answer = await send(`${api.baseUrl}/api/v1/forms/%/submissions`, {
        method,
        headers: { 'content-type': 'application/json', origin: 'https://site.example' },
        body: method === 'POST' ? '{}' : undefined,
      });
      expect(answer.status, method).toBe(400);
      expectRefusal(answer, `${method} /forms/%/submissions`);
    }
  });

  it('should answer 415 to a PATCH body sent without a content type instead of changing nothing with 200', async () => {
    const pipelines = await ensureDefaultPipelines(api.db);
    const deal = await operator.post('/deals', { title: 'Дом', pipelineId: String(pipelines.sales!._id) });
    const answer = await asOperator('PATCH', `/deals/${deal.body.id}`, 'null');
    expect(answer.status).toBe(415);
    expectRefusal(answer, 'PATCH without a content type');
  });

  it('should answer 415 to a body in another charset than UTF-8', async () => {
    const contact = await operator.post('/contacts', { name: 'Анна' });
    const answer = await asOperator('PATCH', `/contacts/${contact.body.id}`, '!', 'application/json; charset=utf-16');
    expect(answer.status).toBe(415);
    expectRefusal(answer, 'UTF-16 body');
    expect((await operator.get(`/contacts/${contact.body.id}`)).body.name).toBe('Анна');
  });

  it('should answer 400 to a signed Twilio SMS whose From cannot be a contact, storing nothing', async () => {
    const admin = await api.as('admin');
    const line = { accountSid: twilioSid('AC'), authToken: twilioAuthToken(), from: '+74951234567' };
    const created = await admin.post('/channels', { type: 'sms', provider: 'twilio', name: 'SMS', ...line });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    for (const from of [' ', 'not a number']) {
      const before = await countDocuments(api.db);
      const params = twilioPayloads.incomingSms({
        accountSid: line.accountSid,
        from,
        to: line.from,
        body: 'Здравствуйте',
      });
      const webhook = twilioWebhook(line.authToken, created.body.webhookUrl, params);
      const answer = await send(webhook.url, {
        headers: webhook.headers,
        body: webhook.rawBody,
      });
      expect(answer.status, from).toBe(400);
      expectRefusal(answer, `From ${JSON.stringify(from)}`);
      expect(grown(before, await countDocuments(api.db))).toEqual({});
    }
  });

  it('should answer 401 to a Zadarma notification whose event names an Object.prototype member', async () => {
    const admin = await api.as('admin');
    const created = await admin.post('/channels', {
      type: 'voice',
      provider: 'zadarma',
      name: 'Zadarma',
      apiKey: randomBytes(10).toString('hex'),
      apiSecret: randomBytes(10).toString('hex'),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    for (const event of ['valueOf', 'constructor', '__proto__', 'toString']) {
      const answer = await send(created.body.webhookUrl, {
        headers: { 'content-type': 'application/x-www-form-urlencoded', signature: 'c2lnbmF0dXJl' },
        body: `event=${event}`,
      });
      expect(answer.status, event).toBe(401);
      expectRefusal(answer, `Zadarma event ${event}`);
    }
  });

  it('should still take a signed Twilio SMS from a real number', async () => {
    const admin = await api.as('admin');
    const line = { accountSid: twilioSid('AC'), authToken: twilioAuthToken(), from: '+74951234568' };
    const created = await admin.post('/channels', { type: 'sms', provider: 'twilio', name: 'SMS 2', ...line });
    const params = twilioPayloads.incomingSms({
      accountSid: line.accountSid,
      from: '+7916' + String(1_000_000 + (randomBytes(3).readUIntBE(0, 3) % 8_999_999)),
      to: line.from,
      body: 'Здравствуйте',
    });
    const webhook = twilioWebhook(line.authToken, created.body.webhookUrl, params);
    const answer = await send(webhook.url, { headers: webhook.headers, body: webhook.rawBody });
    expect(answer.status).toBe(200);
  });
});
