import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditModels } from '../../server/audit/audit-models.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';
import { randomEmail, randomId, randomMobile } from './contacts-test-data.js';

describe('contacts: merge', () => {
  let api: TestApi;
  let manager: ApiClient;

  beforeAll(async () => {
    api = await startTestApi();
    manager = await api.as('manager');
  });
  afterAll(async () => {
    await api?.close();
  });

  async function pair() {
    const survivor = await manager.post('/contacts', {
      name: 'Мария Соколова',
      phones: [randomMobile()],
      identities: [{ channel: 'telegram', externalId: randomId() }],
      tags: ['сайт'],
    });
    const source = await manager.post('/contacts', {
      name: 'Маша',
      phones: [randomMobile()],
      emails: [randomEmail()],
      identities: [{ channel: 'webchat', externalId: randomId() }],
      tags: ['выставка'],
      consent: { whatsapp: { status: 'opted-out' } },
      region: 'Казань',
    });
    expect([survivor.status, source.status]).toEqual([201, 201]);
    return { survivor: survivor.body, source: source.body };
  }

  it('should move identities, phones, e-mails, tags and linked records to the survivor', async () => {
    const { survivor, source } = await pair();
    const sourceId = new Types.ObjectId(source.id);
    const deal = await api.db.collection('deals').insertOne({ title: 'Окна', contactId: sourceId });
    const task = await api.db.collection('tasks').insertOne({ title: 'Позвонить', contactId: source.id });
    expect(
      (await manager.post('/notes', { entity: 'contact', entityId: source.id, text: 'Хочет три окна' })).status,
    ).toBe(201);

    const merged = await manager.post(`/contacts/${survivor.id}/merge`, { sourceId: source.id });
    expect(merged.status).toBe(200);
    expect(merged.body.phones.map((p: { e164: string }) => p.e164)).toEqual([
      survivor.phones[0].e164,
      source.phones[0].e164,
    ]);
    expect(merged.body.emails).toEqual(source.emails);
    expect(merged.body.identities).toEqual([...survivor.identities, ...source.identities]);
    expect(merged.body.tags).toEqual(['сайт', 'выставка']);
    expect(merged.body.region).toBe('Казань');
    expect(merged.body.consent.whatsapp.status).toBe('opted-out');
    expect(merged.body.name).toBe('Мария Соколова');

    const movedDeal = await api.db.collection('deals').findOne({ _id: deal.insertedId });
    expect(String(movedDeal?.contactId)).toBe(survivor.id);
    expect(movedDeal?.contactId).toBeInstanceOf(Types.ObjectId);
    expect((await api.db.collection('tasks').findOne({ _id: task.insertedId }))?.contactId).toBe(survivor.id);

    const gone = await manager.get(`/contacts/${source.id}`);
    expect(gone.body).toMatchObject({ status: 'merged', mergedInto: survivor.id });
    const list = await manager.get(`/contacts?q=${encodeURIComponent(source.emails[0])}`);
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([survivor.id]);

    const timeline = await manager.get(`/notes?entity=contact&entityId=${survivor.id}`);
    expect(timeline.body.items.map((n: { kind: string; text: string }) => [n.kind, n.text.slice(0, 10)])).toEqual([
      ['system', 'Объединён '],
      ['note', 'Хочет три '],
    ]);
    const audit = await auditModels(api.db).AuditLog.find({ action: 'contact.merge', entityId: survivor.id }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorName: 'Test manager', meta: { sourceId: source.id } });
  });

  it('should be safe to retry: nothing moves twice, one audit entry, one note', async () => {
    const { survivor, source } = await pair();
    const first = await manager.post(`/contacts/${survivor.id}/merge`, { sourceId: source.id });
    const [second, third] = await Promise.all([
      manager.post(`/contacts/${survivor.id}/merge`, { sourceId: source.id }),
      manager.post(`/contacts/${survivor.id}/merge`, { sourceId: source.id }),
    ]);
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect(second.body.phones).toEqual(first.body.phones);
    expect(second.body.identities).toEqual(first.body.identities);
    const notes = await manager.get(`/notes?entity=contact&entityId=${survivor.id}`);
    expect(notes.body.items.filter((n: { kind: string }) => n.kind === 'system')).toHaveLength(1);
    expect(await auditModels(api.db).AuditLog.countDocuments({ action: 'contact.merge', entityId: survivor.id })).toBe(
      1,
    );
  });

  it('should let the survivor be found by the source keys and free nothing for duplicates', async () => {
    const { survivor, source } = await pair();
    await manager.post(`/contacts/${survivor.id}/merge`, { sourceId: source.id });
    const duplicate = await manager.post('/contacts', { phones: [source.phones[0].raw] });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.details.existingContactId).toBe(survivor.id);
  });

  it('should refuse merging into itself, an unknown contact, or a source merged elsewhere', async () => {
    const { survivor, source } = await pair();
    const other = await manager.post('/contacts', { name: 'Третий', phones: [randomMobile()] });
    expect((await manager.post(`/contacts/${survivor.id}/merge`, { sourceId: survivor.id })).status).toBe(400);
    expect((await manager.post(`/contacts/${survivor.id}/merge`, { sourceId: randomId() })).status).toBe(404);
    await manager.post(`/contacts/${survivor.id}/merge`, { sourceId: source.id });
    const elsewhere = await manager.post(`/contacts/${other.body.id}/merge`, { sourceId: source.id });
    expect(elsewhere.status).toBe(409);
  });

  it('should be refused to operators (contacts.merge)', async () => {
    const { survivor, source } = await pair();
    const operator = await api.as('operator');
    expect((await operator.post(`/contacts/${survivor.id}/merge`, { sourceId: source.id })).status).toBe(403);
  });
});
