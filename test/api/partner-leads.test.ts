import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_TTL_SECONDS } from '../../server/http/idempotency-model.js';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import type { PipelineRecord } from '../../server/pipelines/pipeline-model.js';
import { startTestApi, type ApiClient, type ApiResponse, type TestApi } from './api-harness.js';
import { randomEmail, randomMobile, spelledOut } from './contacts-test-data.js';

const EXPO = 'ЭкоСтройЭкспо 2024';

describe('partner leads API', () => {
  let api: TestApi;
  let admin: ApiClient;
  let manager: ApiClient;
  let token: string;
  let pipelines: Record<string, PipelineRecord>;

  beforeAll(async () => {
    api = await startTestApi();
    pipelines = await ensureDefaultPipelines(api.db);
    [admin, manager] = await Promise.all([api.as('admin'), api.as('manager')]);
    await admin.post('/custom-fields', { entity: 'contact', key: 'city', label: { ru: 'Город' }, type: 'text' });
    await admin.post('/custom-fields', {
      entity: 'deal',
      key: 'house_type',
      label: { ru: 'Тип дома' },
      type: 'select',
      options: [{ value: 'frame', label: { ru: 'Каркасный' } }],
    });
    const created = await manager.post('/auth/tokens', {
      name: 'Выставка: приложение стенда',
      scopes: ['leads.create'],
    });
    expect(created.status).toBe(201);
    token = created.body.token;
  });
  afterAll(() => api?.close());

  /** A partner's server: the bearer token, JSON, and an Idempotency-Key when given. */
  async function send(body: unknown, key?: string, bearer = token): Promise<ApiResponse> {
    const response = await fetch(`${api.baseUrl}/api/v1/leads`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${bearer}`,
        'content-type': 'application/json',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  }

  const newKey = () => `expo-${randomBytes(8).toString('hex')}`;

  async function contactsByPhone(national: string) {
    return (await admin.get(`/contacts?q=${encodeURIComponent(`+7${national}`)}`)).body.items;
  }

  async function leadEntries(contactId: string) {
    const timeline = await admin.get(`/contacts/${contactId}/timeline`);
    return timeline.body.items.filter((item: { kind: string }) => item.kind === 'lead');
  }

  it('should refuse a token without the leads.create scope', async () => {
    const other = await manager.post('/auth/tokens', { name: 'contacts only', scopes: ['contacts.read'] });
    const refused = await send({ partner: EXPO, phone: randomMobile() }, undefined, other.body.token);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/leads\.create/);
    // A marketer does not work deals, so cannot hand out a token that makes them.
    const marketer = await api.as('marketer');
    const minted = await marketer.post('/auth/tokens', { name: 'x', scopes: ['leads.create'] });
    expect(minted.status).toBe(403);
    expect((await api.anonymous().post('/leads', { partner: EXPO, phone: randomMobile() })).status).toBe(401);
  });

  it('should make a contact, a deal and a timeline entry with the source and partner on both', async () => {
    const phone = randomMobile();
    const email = randomEmail();
    const created = await send(
      {
        name: 'Сергей Орлов',
        phone: spelledOut(phone),
        email,
        comment: 'Подошёл к стенду, интересует дом 120 м²',
        partner: EXPO,
        source: 'exhibition',
        utm: { source: 'expo', campaign: 'spring-2024' },
        amount: 6200000,
        customFields: { contact: { city: 'Казань' }, deal: { house_type: 'frame' } },
      },
      newKey(),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ source: `exhibition:${EXPO}` });
    expect(Object.keys(created.body).sort()).toEqual(['contactId', 'createdAt', 'dealId', 'id', 'source']);

    const [contact, ...others] = await contactsByPhone(phone);
    expect(others).toEqual([]);
    expect(contact).toMatchObject({
      id: created.body.contactId,
      name: 'Сергей Орлов',
      emails: [email],
      source: `exhibition:${EXPO}`,
      utm: { source: 'expo', campaign: 'spring-2024' },
      customFields: { city: 'Казань' },
      ownerId: api.users.manager.id,
    });
    const deal = (await admin.get(`/deals/${created.body.dealId}`)).body;
    expect(deal).toMatchObject({
      title: `${EXPO} — Сергей Орлов`,
      pipelineId: String(pipelines.leads!._id),
      stageId: 'new',
      amount: 6200000,
      contactId: contact.id,
      ownerId: api.users.manager.id,
      source: `exhibition:${EXPO}`,
      partner: EXPO,
      customFields: { house_type: 'frame' },
      inboundLeadId: created.body.id,
      createdBy: { kind: 'user', id: api.users.manager.id },
    });
    const entries = await leadEntries(contact.id);
    expect(entries).toHaveLength(1);
    expect(entries[0].lead).toMatchObject({
      id: created.body.id,
      via: 'partner',
      partner: EXPO,
      comment: 'Подошёл к стенду, интересует дом 120 м²',
      dealId: deal.id,
    });
  });

  it('should keep the source and partner when the lead is converted into a sale', async () => {
    const phone = randomMobile();
    const sent = await send({ name: 'Нина', phone, partner: 'Авито', source: 'marketplace' }, newKey());
    const converted = await admin.post(`/leads/${sent.body.dealId}/convert`, {
      pipelineId: String(pipelines.sales!._id),
      contact: { phones: [phone] },
    });
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    expect(converted.body.contact.id).toBe(sent.body.contactId);
    expect(converted.body.deal).toMatchObject({ source: 'marketplace:Авито', partner: 'Авито' });
  });

  it('should replay the answer for the same key and body, and refuse the key with another body', async () => {
    const key = newKey();
    const phone = randomMobile();
    const body = { name: 'Лидия', phone, partner: 'Авито' };
    const first = await send(body, key);
    expect(first.status).toBe(201);
    const replay = await send(body, key);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const conflicting = await send({ ...body, name: 'Лидия Петровна' }, key);
    expect(conflicting.status).toBe(409);
    expect(conflicting.body.error.message).toMatch(/^This Idempotency-Key was already used with a different request/);
    // Another integration's key of the same spelling is its own.
    const adminToken = (await admin.post('/auth/tokens', { name: 'other partner', scopes: ['leads.create'] })).body
      .token;
    const elsewhere = await send({ ...body, name: 'Другая' }, key, adminToken);
    expect(elsewhere.status).toBe(201);

    const [contact] = await contactsByPhone(phone);
    expect((await admin.get(`/deals?contactId=${contact.id}`)).body.items).toHaveLength(2);
    expect(await leadEntries(contact.id)).toHaveLength(2);
  });

  it('should make one lead of two identical requests sent at once', async () => {
    const key = newKey();
    const phone = randomMobile();
    const body = { name: 'Карина', phone, partner: 'Яндекс Услуги', comment: 'Дважды' };
    const answers = await Promise.all([send(body, key), send(body, key), send(body, key)]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    const contacts = await contactsByPhone(phone);
    expect(contacts).toHaveLength(1);
    expect((await admin.get(`/deals?contactId=${contacts[0].id}`)).body.items).toHaveLength(1);
    expect(await leadEntries(contacts[0].id)).toHaveLength(1);
  });

  it('should add the lead to the contact who already has the phone', async () => {
    const phone = randomMobile();
    const existing = await admin.post('/contacts', { name: 'Тимур', phones: [spelledOut(phone)], source: 'whatsapp' });
    const sent = await send({ name: 'Тимур Алиев', phone: `8${phone}`, partner: 'Авито' }, newKey());
    expect(sent.status).toBe(201);
    expect(sent.body.contactId).toBe(existing.body.id);
    const contacts = await contactsByPhone(phone);
    expect(contacts).toHaveLength(1);
    // The first touch stays the contact's source; the deal carries this lead's.
    expect(contacts[0]).toMatchObject({ name: 'Тимур', source: 'whatsapp' });
    expect((await admin.get(`/deals/${sent.body.dealId}`)).body).toMatchObject({
      contactId: existing.body.id,
      source: 'partner:Авито',
      partner: 'Авито',
    });
  });

  it('should say what is wrong with a lead', async () => {
    const unreachable = await send({ name: 'Без связи', partner: 'Авито' });
    expect(unreachable.status).toBe(400);
    expect(unreachable.body.error.details[0].message).toMatch(/phone or an e-mail.*телефон или e-mail/);
    expect((await send({ phone: '12', partner: 'Авито' })).body.error.details[0].message).toMatch(/Not a valid phone/);
    expect((await send({ phone: randomMobile() })).status).toBe(400);
    const badKey = await send({ phone: randomMobile(), partner: 'Авито' }, 'short');
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.message).toMatch(/Idempotency-Key/);
    const unknownPipeline = await send({ phone: randomMobile(), partner: 'Авито', pipelineId: 'f'.repeat(24) });
    expect(unknownPipeline.status).toBe(404);
    const unknownField = await send({ phone: randomMobile(), partner: 'Авито', customFields: { deal: { nope: 'x' } } });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.details[0].message).toMatch(/No deal field 'nope'/);
    const key = newKey();
    expect(
      (await send({ phone: randomMobile(), partner: 'Авито', customFields: { deal: { nope: 'x' } } }, key)).status,
    ).toBe(400);
    // A refused request does not use up its key: fixed, it goes through.
    expect((await send({ phone: randomMobile(), partner: 'Авито' }, key)).status).toBe(201);
  });

  it('should keep idempotency keys for at least a day', async () => {
    const indexes = await api.db.collection('idempotencykeys').indexes();
    const ttl = indexes.find((index) => index.expireAfterSeconds !== undefined);
    expect(ttl?.key).toEqual({ createdAt: 1 });
    expect(ttl?.expireAfterSeconds).toBeGreaterThanOrEqual(24 * 60 * 60);
    expect(IDEMPOTENCY_TTL_SECONDS).toBeGreaterThanOrEqual(24 * 60 * 60);
  });
});
