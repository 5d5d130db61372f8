import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditModels } from '../../server/audit/audit-models.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';

describe('notes', () => {
  let api: TestApi;
  let operator: ApiClient;

  beforeAll(async () => {
    api = await startTestApi();
    operator = await api.as('operator');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should add notes to a contact and list them newest first, with the author', async () => {
    const contact = await operator.post('/contacts', { name: 'Клиент' });
    const texts = ['Позвонил, не ответил', 'Перезвонить в пятницу', 'Просит замер'];
    for (const text of texts) {
      const note = await operator.post('/notes', { entity: 'contact', entityId: contact.body.id, text });
      expect(note.status).toBe(201);
      expect(note.body).toMatchObject({ kind: 'note', authorId: api.users.operator.id, authorName: 'Test operator' });
    }
    const page = await operator.get(`/notes?entity=contact&entityId=${contact.body.id}&limit=2`);
    expect(page.body.items.map((n: { text: string }) => n.text)).toEqual([texts[2], texts[1]]);
    const rest = await operator.get(`/notes?entity=contact&entityId=${contact.body.id}&cursor=${page.body.nextCursor}`);
    expect(rest.body.items.map((n: { text: string }) => n.text)).toEqual([texts[0]]);
    expect(await auditModels(api.db).AuditLog.countDocuments({ action: 'note.create' })).toBeGreaterThanOrEqual(3);
  });

  it('should add notes to companies and deals, and 404 for records that do not exist', async () => {
    const company = await operator.post('/companies', { name: 'Компания' });
    expect(
      (await operator.post('/notes', { entity: 'company', entityId: company.body.id, text: 'Партнёр' })).status,
    ).toBe(201);
    const deal = await api.db
      .collection('deals')
      .insertOne({ title: 'Дом', ownerId: new Types.ObjectId(api.users.operator.id) });
    const othersDeal = await api.db.collection('deals').insertOne({ title: 'Чужой', ownerId: new Types.ObjectId() });
    expect(
      (await operator.post('/notes', { entity: 'deal', entityId: String(deal.insertedId), text: 'Смета' })).status,
    ).toBe(201);
    const missing = new Types.ObjectId().toHexString();
    expect(
      (await operator.post('/notes', { entity: 'deal', entityId: String(othersDeal.insertedId), text: 'x' })).status,
    ).toBe(404);
    expect((await operator.post('/notes', { entity: 'deal', entityId: missing, text: 'x' })).status).toBe(404);
    expect((await operator.get(`/notes?entity=contact&entityId=${missing}`)).status).toBe(404);
  });

  it('should reject empty text, unknown entities and extra fields', async () => {
    const contact = await operator.post('/contacts', { name: 'Клиент' });
    for (const body of [
      { entity: 'contact', entityId: contact.body.id, text: '   ' },
      { entity: 'user', entityId: contact.body.id, text: 'x' },
      { entity: 'contact', entityId: contact.body.id, text: 'x', kind: 'system' },
    ]) {
      expect((await operator.post('/notes', body)).status).toBe(400);
    }
    expect((await operator.get(`/notes?entity=contact&entityId=${contact.body.id}`)).body.items).toEqual([]);
  });

  it('should not let marketers write notes', async () => {
    const contact = await operator.post('/contacts', { name: 'Клиент' });
    const marketer = await api.as('marketer');
    expect((await marketer.post('/notes', { entity: 'contact', entityId: contact.body.id, text: 'x' })).status).toBe(
      403,
    );
  });
});
